package org.maildeck.imap;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.util.function.Predicate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Refuses IMAP input that James 3.8.1 would mishandle, before its decoder sees it: literals over
 * the limits (CVE-2024-37358, fixed upstream in James 3.8.2, apache/james-project#2281 "Better
 * manage IMAP literals") and parentheses nested deeper than James's recursive parsers can follow.
 *
 * <p>3.8.1 answers a literal announcement larger than {@code literalSizeLimit} with a
 * continuation, then drops its own error and keeps every following byte in memory until a line
 * feed arrives, before or after login alike: one client can exhaust the heap. Before login it
 * applies the same limit as to an APPEND (50 MiB here), spools such a literal to a temp file and
 * then reads it whole into memory as a user name: eight clients sending 48 MiB each exhausted a
 * 1 GiB heap. This handler sits in front of James's line framer, follows the client's stream
 * (command lines and the literal bytes they announce) with constant memory, and when a line
 * announces a literal over the limit (before authentication: over {@value #LIMIT_BEFORE_LOGIN}
 * bytes, James 3.8.2's rule), or a command announces too many literals or more literal bytes in
 * all than {@code commandLiteralsLimit} (a whole command is spooled to disk while it is read, see
 * {@link WholeCommandFrameDecoder}), it answers
 * {@code BAD [TOOBIG]} with the command's tag and closes the connection, without passing that
 * line on.</p>
 *
 * <p>James parses parenthesised lists (SEARCH keys above all) by recursion: 2,000 nested
 * parentheses overflow the stack. A command nested deeper than {@code maxNesting} is cut before
 * its first parenthesis too many and ended there, so James answers the truncated (hence
 * unbalanced) command with its own tagged {@code BAD}; the rest of the command is dropped and the
 * session goes on.</p>
 */
public class ImapLiteralGuard extends ChannelInboundHandlerAdapter {

    private static final Logger LOGGER = LoggerFactory.getLogger(ImapLiteralGuard.class);
    private static final int TAG_LENGTH = 64;
    /** Largest literal before authentication: a user name, a password or a SASL response fit. */
    static final long LIMIT_BEFORE_LOGIN = 8 * 1024;
    /** James's own continuation request, as its frame decoder words it. */
    private static final byte[] CONTINUATION = "+ Ok\r\n".getBytes(US_ASCII);
    private static final ByteBuf LINE_END = Unpooled.unreleasableBuffer(Unpooled.copiedBuffer("\r\n", US_ASCII));

    private final long literalSizeLimit;
    private final long commandLiteralsLimit;
    private final int maxLiteralsPerCommand;
    private final int maxNesting;
    private final Predicate<Channel> authenticated;

    private final LiteralAnnouncement line = new LiteralAnnouncement();
    private final StringBuilder tag = new StringBuilder();
    private boolean readingTag = true;
    private long literalBytesLeft;
    private int literalsInCommand;
    /** The bytes of the current command's literals announced so far. */
    private long literalBytesInCommand;
    private boolean refused;
    private int nesting;
    private boolean inQuotedString;
    private boolean escaped;
    /** The current command went deeper than maxNesting: its remaining bytes are dropped. */
    private boolean droppingCommand;
    /** The current command announced a synchronising literal already ({N}, not {N+}). */
    private boolean synchronisedBefore;

    /**
     * @param literalSizeLimit largest literal in bytes once authenticated, 0 for no limit
     * @param commandLiteralsLimit largest sum of one command's literals in bytes (the disk a
     *     MULTIAPPEND may fill while it is read), 0 for no limit
     * @param authenticated whether the connection's IMAP session has logged in
     */
    public ImapLiteralGuard(long literalSizeLimit, long commandLiteralsLimit, int maxLiteralsPerCommand, int maxNesting,
                     Predicate<Channel> authenticated) {
        this.literalSizeLimit = literalSizeLimit;
        this.commandLiteralsLimit = commandLiteralsLimit;
        this.maxLiteralsPerCommand = maxLiteralsPerCommand;
        this.maxNesting = maxNesting;
        this.authenticated = authenticated;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (refused) {
            release(msg);
            return;
        }
        if (!(msg instanceof ByteBuf)) {
            ctx.fireChannelRead(msg);
            return;
        }
        ByteBuf in = (ByteBuf) msg;
        int end = in.writerIndex();
        // Bytes from here on are passed on at the end, unless a command is being dropped.
        int passFrom = in.readerIndex();
        for (int i = in.readerIndex(); i < end; i++) {
            if (literalBytesLeft > 0) {
                long skip = Math.min(literalBytesLeft, end - i);
                literalBytesLeft -= skip;
                i += (int) skip - 1;
                continue;
            }
            byte b = in.getByte(i);
            if (b != '\n') {
                if (noteLineByte(b) && !droppingCommand) {
                    droppingCommand = true;
                    cutTooDeepCommand(ctx, in, passFrom, i);
                }
                continue;
            }
            String refusal = endOfLine(ctx.channel());
            if (refusal != null) {
                // The whole read is dropped, commands before the refused line included: the
                // client gets no answer to them and the connection closes, so nothing it sent
                // there counts as done.
                in.release();
                refuse(ctx, refusal);
                return;
            }
            if (droppingCommand && literalBytesLeft == 0) {
                // The end of the dropped command; also when it announced a synchronising literal,
                // which the client sends only after a continuation that never comes: James's BAD
                // ends that command for the client.
                droppingCommand = false;
                startNextCommand();
                passFrom = i + 1;
            }
        }
        if (!droppingCommand && passFrom < end) {
            ctx.fireChannelRead(in.retainedSlice(passFrom, end - passFrom));
        }
        in.release();
    }

    /**
     * Passes on the command's bytes before its parenthesis too many and a line end, so that James
     * answers the truncated command itself, with its tag, in order with the commands before it.
     */
    private void cutTooDeepCommand(ChannelHandlerContext ctx, ByteBuf in, int passFrom, int tooDeep) {
        LOGGER.warn("IMAP client {}: command {} nests parentheses deeper than {}; cut there and refused",
            ctx.channel().remoteAddress(), tag, maxNesting);
        if (tooDeep > passFrom) {
            ctx.fireChannelRead(in.retainedSlice(passFrom, tooDeep - passFrom));
        }
        ctx.fireChannelRead(LINE_END.duplicate());
    }

    /** Notes one byte of a command line; true when it opens a parenthesis deeper than allowed. */
    private boolean noteLineByte(byte b) {
        if (readingTag) {
            if (b == ' ' || tag.length() >= TAG_LENGTH) {
                readingTag = false;
            } else {
                tag.append((char) (b & 0xff));
            }
        }
        line.note(b);
        return tooDeep(b);
    }

    private boolean tooDeep(byte b) {
        if (inQuotedString) {
            if (escaped) {
                escaped = false;
            } else if (b == '\\') {
                escaped = true;
            } else if (b == '"') {
                inQuotedString = false;
            }
            return false;
        }
        if (b == '"') {
            inQuotedString = true;
        } else if (b == '(') {
            return ++nesting > maxNesting;
        } else if (b == ')' && nesting > 0) {
            nesting--;
        }
        return false;
    }

    /** Called at each line feed; returns why to refuse the command, or null to let it through. */
    private String endOfLine(Channel channel) {
        long announced = line.endOfLine();
        boolean nonSynchronising = line.nonSynchronising();
        // A quoted string never spans lines (RFC 3501: no CR or LF in it).
        inQuotedString = false;
        escaped = false;
        if (announced < 0) {
            startNextCommand();
            return null;
        }
        literalsInCommand++;
        if (announced > LIMIT_BEFORE_LOGIN && (literalSizeLimit <= 0 || LIMIT_BEFORE_LOGIN < literalSizeLimit)
                && !authenticated.test(channel)) {
            return "Literal of " + announced + " bytes is larger than the " + LIMIT_BEFORE_LOGIN + " bytes allowed before authentication";
        }
        if (literalSizeLimit > 0 && announced > literalSizeLimit) {
            return "Literal of " + announced + " bytes is larger than the limit of " + literalSizeLimit + " bytes";
        }
        if (literalsInCommand > maxLiteralsPerCommand) {
            return "More than " + maxLiteralsPerCommand + " literals in one command";
        }
        literalBytesInCommand += announced;
        if (commandLiteralsLimit > 0 && literalBytesInCommand > commandLiteralsLimit) {
            return "Literals of " + literalBytesInCommand + " bytes in one command, more than the limit of " + commandLiteralsLimit + " bytes";
        }
        literalBytesLeft = droppingCommand && !nonSynchronising ? 0 : announced;
        if (!nonSynchronising && !droppingCommand) {
            continueLaterLiteral(channel);
        }
        return null;
    }

    /**
     * Sends the continuation of a synchronising literal that follows another one in the same
     * command (MULTIAPPEND, LOGIN with two literals). James's frame decoder continues only the
     * literals it reaches on its first reading of a command; it reads the command again from its
     * start each time more bytes arrive, and then sends no continuation, so a client waiting for
     * the second one would wait forever. A first synchronising literal holds the client until
     * James continues it, so James's first reading has always ended there: any later one is
     * continued here, once. When only non-synchronising literals came before, James may have
     * read that far on its first reading and continued it itself, so it is left to James.
     */
    private void continueLaterLiteral(Channel channel) {
        if (synchronisedBefore) {
            channel.writeAndFlush(Unpooled.wrappedBuffer(CONTINUATION));
        }
        synchronisedBefore = true;
    }

    private void startNextCommand() {
        readingTag = true;
        tag.setLength(0);
        literalsInCommand = 0;
        literalBytesInCommand = 0;
        nesting = 0;
        synchronisedBefore = false;
    }

    private void refuse(ChannelHandlerContext ctx, String reason) {
        refused = true;
        String commandTag = tag.length() > 0 ? tag.toString() : "*";
        LOGGER.warn("IMAP client {}: {}; connection closed", ctx.channel().remoteAddress(), reason);
        String reply = commandTag + " BAD [TOOBIG] " + reason + "\r\n* BYE Connection closed\r\n";
        ctx.writeAndFlush(Unpooled.copiedBuffer(reply, US_ASCII)).addListener(ChannelFutureListener.CLOSE);
    }

    private static void release(Object msg) {
        if (msg instanceof ByteBuf buf) {
            buf.release();
        }
    }
}
