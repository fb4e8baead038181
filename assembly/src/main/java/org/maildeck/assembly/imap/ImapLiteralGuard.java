package org.maildeck.assembly.imap;

import static java.nio.charset.StandardCharsets.US_ASCII;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Refuses IMAP literals that James 3.8.1 would mishandle (CVE-2024-37358), before its decoder
 * sees them.
 *
 * <p>3.8.1 answers a literal announcement larger than {@code literalSizeLimit} with a
 * continuation, then drops its own error and keeps every following byte in memory until a line
 * feed arrives, before or after login alike: one client can exhaust the heap. This handler sits
 * in front of James's line framer, follows the client's stream (command lines and the literal
 * bytes they announce) with constant memory, and when a line announces a literal over the limit
 * or a command announces too many literals, it answers {@code BAD [TOOBIG]} with the command's
 * tag and closes the connection, without passing that line on.</p>
 */
class ImapLiteralGuard extends ChannelInboundHandlerAdapter {

    private static final Logger LOGGER = LoggerFactory.getLogger(ImapLiteralGuard.class);
    // Enough for "{" + 19 digits + "+}\r"; longer digit runs cannot be a size that fits.
    private static final int TAIL_LENGTH = 24;
    private static final int TAG_LENGTH = 64;

    private final long literalSizeLimit;
    private final int maxLiteralsPerCommand;

    private final byte[] tail = new byte[TAIL_LENGTH];
    private int tailLength;
    private final StringBuilder tag = new StringBuilder();
    private boolean readingTag = true;
    private long literalBytesLeft;
    private int literalsInCommand;
    private boolean refused;

    /** @param literalSizeLimit largest literal in bytes, 0 for no limit */
    ImapLiteralGuard(long literalSizeLimit, int maxLiteralsPerCommand) {
        this.literalSizeLimit = literalSizeLimit;
        this.maxLiteralsPerCommand = maxLiteralsPerCommand;
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
        for (int i = in.readerIndex(); i < end; i++) {
            if (literalBytesLeft > 0) {
                long skip = Math.min(literalBytesLeft, end - i);
                literalBytesLeft -= skip;
                i += (int) skip - 1;
                continue;
            }
            byte b = in.getByte(i);
            if (b != '\n') {
                noteLineByte(b);
                continue;
            }
            String refusal = endOfLine();
            if (refusal != null) {
                // The whole read is dropped, commands before the refused line included: the
                // client gets no answer to them and the connection closes, so nothing it sent
                // there counts as done.
                in.release();
                refuse(ctx, refusal);
                return;
            }
        }
        ctx.fireChannelRead(in);
    }

    private void noteLineByte(byte b) {
        if (readingTag) {
            if (b == ' ' || tag.length() >= TAG_LENGTH) {
                readingTag = false;
            } else {
                tag.append((char) (b & 0xff));
            }
        }
        if (tailLength == TAIL_LENGTH) {
            System.arraycopy(tail, 1, tail, 0, TAIL_LENGTH - 1);
            tailLength--;
        }
        tail[tailLength++] = b;
    }

    /** Called at each line feed; returns why to refuse the command, or null to let it through. */
    private String endOfLine() {
        long announced = announcedLiteral();
        tailLength = 0;
        if (announced < 0) {
            startNextCommand();
            return null;
        }
        literalsInCommand++;
        if (literalSizeLimit > 0 && announced > literalSizeLimit) {
            return "Literal of " + announced + " bytes is larger than the limit of " + literalSizeLimit + " bytes";
        }
        if (literalsInCommand > maxLiteralsPerCommand) {
            return "More than " + maxLiteralsPerCommand + " literals in one command";
        }
        literalBytesLeft = announced;
        return null;
    }

    private void startNextCommand() {
        readingTag = true;
        tag.setLength(0);
        literalsInCommand = 0;
    }

    /** The size of the literal announced at the end of the current line ({N} or {N+}), or -1. */
    private long announcedLiteral() {
        int end = tailLength;
        if (end > 0 && tail[end - 1] == '\r') {
            end--;
        }
        if (end < 3 || tail[end - 1] != '}') {
            return -1;
        }
        int digitsEnd = end - 1;
        if (tail[digitsEnd - 1] == '+') {
            digitsEnd--;
        }
        int digitsStart = digitsEnd;
        while (digitsStart > 0 && Character.isDigit(tail[digitsStart - 1])) {
            digitsStart--;
        }
        if (digitsStart == digitsEnd || digitsStart == 0 || tail[digitsStart - 1] != '{') {
            return -1;
        }
        String digits = new String(tail, digitsStart, digitsEnd - digitsStart, US_ASCII);
        return digits.length() > 18 ? Long.MAX_VALUE : Long.parseLong(digits);
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
