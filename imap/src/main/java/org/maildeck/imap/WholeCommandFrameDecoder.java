package org.maildeck.imap;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import java.util.Map;

import org.apache.james.imap.api.ImapMessage;
import org.apache.james.imap.api.ImapSessionState;
import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.decode.ImapDecoder;
import org.apache.james.imapserver.netty.ImapRequestFrameDecoder;
import org.apache.james.imapserver.netty.NettyStreamImapRequestLineReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;

/**
 * James's IMAP frame decoder, except that a command too large to be held in memory is spooled to
 * a file whole, every literal in it, before it is parsed.
 *
 * <p>James 3.8.1's decoder parses a command from memory and, when a literal is missing, asks for
 * the bytes up to that literal's end; if that is more than {@code inMemorySizeLimit} it writes
 * exactly that many bytes to a temp file and parses the file. The file ends after that literal:
 * a MULTIAPPEND (RFC 3502) whose first message is larger than the limit reached the parser as a
 * one-message APPEND, was answered OK, and its later messages came back as BAD lines. For a later
 * literal James miscounts (it leaves the earlier literals out of the size it asks for), so its
 * file ended inside that literal, and a command of many literals each under the limit was held in
 * memory whole. Upstream James reworked literals after 3.8.1 (apache/james-project#2281) but its
 * file still ends with the literal being read.</p>
 *
 * <p>Here, once a command waits for more bytes and either the bytes it asks for or the bytes held
 * pass {@code inMemorySizeLimit}, the command is written to a {@link SpooledCommand} from its
 * first byte to the line end after its last literal, and parsed from that file; memory holds one
 * network read at a time. {@link ImapLiteralGuard} bounds each literal and the sum of a
 * command's literals, so the disk a command takes is bounded too. The file goes when the APPEND
 * that reads it closes its literals, as James's own spooled APPEND does, and at once for any other
 * command, which reads its literals while it is parsed. The file is written on the connection's
 * event-loop thread, as James's in-memory path copies the same bytes there: that keeps commands in
 * order without a hand-over.</p>
 */
public class WholeCommandFrameDecoder extends ImapRequestFrameDecoder {

    private static final Logger LOGGER = LoggerFactory.getLogger(WholeCommandFrameDecoder.class);
    /** James's key, in the channel's decoding attachment, for the bytes a command waits for. */
    private static final String NEEDED_DATA = "NEEDED_DATA";
    private static final boolean NO_CONTINUATION = true;

    private final ImapDecoder decoder;
    private final int inMemorySizeLimit;
    private SpooledCommand spooled;

    public WholeCommandFrameDecoder(ImapDecoder decoder, int inMemorySizeLimit, int literalSizeLimit, int maxLineLength) {
        super(decoder, inMemorySizeLimit, literalSizeLimit, maxLineLength);
        this.decoder = decoder;
        this.inMemorySizeLimit = inMemorySizeLimit;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        if (spooled == null && !tooLargeForMemory(ctx, in)) {
            super.decode(ctx, in, out);
            return;
        }
        if (spooled == null) {
            spooled = SpooledCommand.create();
        }
        if (spooled.append(in)) {
            SpooledCommand command = spooled;
            spooled = null;
            ImapMessage message = parse(ctx, command);
            if (message != null) {
                out.add(message);
            }
        }
    }

    private boolean tooLargeForMemory(ChannelHandlerContext ctx, ByteBuf in) {
        if (inMemorySizeLimit <= 0) {
            return false;
        }
        Object needed = attachment(ctx).get(NEEDED_DATA);
        return needed instanceof Integer size && (size > inMemorySizeLimit || in.readableBytes() > inMemorySizeLimit);
    }

    private static Map<String, Object> attachment(ChannelHandlerContext ctx) {
        return ctx.channel().attr(FRAME_DECODE_ATTACHMENT_ATTRIBUTE_KEY).get();
    }

    /** Parses the spooled command as James parses its own spooled one; null when the session is gone. */
    private ImapMessage parse(ChannelHandlerContext ctx, SpooledCommand command) throws IOException {
        attachment(ctx).clear();
        enableFraming(ctx);
        ImapSession session = ctx.channel().attr(IMAP_SESSION_ATTRIBUTE_KEY).get();
        if (session == null || session.getState() == ImapSessionState.LOGOUT) {
            command.discard();
            if (ctx.channel().isActive()) {
                ctx.channel().writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            }
            return null;
        }
        ImapMessage message;
        try (NettyStreamImapRequestLineReader reader = new NettyStreamImapRequestLineReader(ctx.channel(),
                command.file().toFile(), NO_CONTINUATION)) {
            message = decoder.decode(reader, session);
        } catch (RuntimeException e) {
            command.discard();
            throw e;
        }
        // An APPEND's literals are read from the file when it runs, and closed (the file deleted)
        // once it has run; any other command has read its literals already.
        if (!(message instanceof Closeable)) {
            command.discard();
        }
        return message;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (spooled != null) {
            try {
                spooled.discard();
            } catch (IOException e) {
                LOGGER.warn("Could not remove the spooled IMAP command {}", spooled.file(), e);
            }
            spooled = null;
        }
        super.channelInactive(ctx);
    }
}
