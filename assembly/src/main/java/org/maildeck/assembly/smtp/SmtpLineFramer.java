package org.maildeck.assembly.smtp;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

import org.apache.james.protocols.netty.BasicChannelInboundHandler;
import org.apache.james.protocols.netty.ChannelHandlerFactory;
import org.apache.james.protocols.netty.CommandInjectionDetectedException;

import com.google.common.base.CharMatcher;
import com.google.common.base.Splitter;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.util.AttributeKey;
import io.netty.util.ByteProcessor;

/**
 * Cuts the SMTP (or LMTP) byte stream into lines (CRLF kept) with two limits, where James's framer has one
 * (8192 bytes, which dropped longer lines of a message and answered them with a stray 500): command
 * lines up to {@link SmtpLimits#commandLine()}, lines of a message, between the 354 and the end of
 * DATA, up to {@link SmtpLimits#dataLine()}. Memory per connection stays within the larger one.
 * A longer line is skipped to its LF and reported as a {@link TooLongFrameException} in its place
 * in the stream; {@link LineLimitedSession} decides the reply.
 * <p>
 * Until TLS is up it refuses what James's {@code AllButStartTlsLineBasedChannelHandler} refuses,
 * anything sent behind STARTTLS before the TLS handshake (CVE-2021-38542), also after a first
 * message, where James's check has stopped. The refusal is James's: 451 and the connection closed.
 */
class SmtpLineFramer extends ByteToMessageDecoder {

    // The names James's framer and session use on the channel.
    private static final AttributeKey<Object> STARTTLS_IN_FLIGHT = AttributeKey.valueOf("startTlsInFlight");
    private static final String STARTTLS = "starttls";
    private static final Splitter LINES = Splitter.on(CharMatcher.anyOf("\r\n")).omitEmptyStrings();

    private final SmtpLimits limits;
    // Bytes at the start of the buffer already known to hold no LF.
    private int scanned;
    private boolean discarding;

    SmtpLineFramer(SmtpLimits limits) {
        this.limits = limits;
    }

    /** The frame handlers of an SMTP or LMTP listener with these limits, one framer per connection. */
    static ChannelHandlerFactory factory(SmtpLimits limits) {
        // QuickAckAfterFlush: the message after the 354 (and its final dot) is acknowledged at once.
        return LineLimitedSession.QUICK_ACK_WHILE_RECEIVING.before(pipeline -> new SmtpLineFramer(limits));
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        LineLimitedSession session = (LineLimitedSession) ctx.channel().attr(BasicChannelInboundHandler.SESSION_ATTRIBUTE_KEY).get();
        boolean message = session != null && session.receivingMessage();
        // James checks only while session.needsCommandInjectionDetection(), which its DATA turns
        // off for the rest of the session: here every command line is checked until TLS is up.
        if (!message && (session == null || !session.isTLSStarted())) {
            refuseCommandsBehindStartTls(ctx, in);
        }
        int limit = message ? limits.dataLine() : limits.commandLine();
        int lf = in.forEachByte(in.readerIndex() + scanned, in.readableBytes() - scanned, ByteProcessor.FIND_LF);
        if (lf < 0) {
            scanned = in.readableBytes();
            if (discarding || scanned >= limit) {
                // Over the limit without its end: nothing of it is kept.
                discarding = true;
                in.skipBytes(in.readableBytes());
                scanned = 0;
            }
            return;
        }
        int length = lf + 1 - in.readerIndex();
        scanned = 0;
        if (discarding || length > limit) {
            discarding = false;
            in.skipBytes(length);
            ctx.fireExceptionCaught(new TooLongFrameException("line over " + limit + " bytes"));
            return;
        }
        out.add(in.readRetainedSlice(length));
    }

    // STARTTLS must be the last thing the client sent before the handshake: a command behind it
    // would be read as if it came over TLS.
    private static void refuseCommandsBehindStartTls(ChannelHandlerContext ctx, ByteBuf in) {
        List<String> lines = LINES.splitToList(in.toString(StandardCharsets.US_ASCII).trim().toLowerCase(Locale.US));
        boolean startTlsInFlight = Boolean.TRUE.equals(ctx.channel().attr(STARTTLS_IN_FLIGHT).get());
        boolean startTlsWithMore = lines.stream().anyMatch(line -> line.startsWith(STARTTLS))
            && (lines.size() > 1 || lines.stream().anyMatch(line -> line.startsWith(STARTTLS) && !line.endsWith(STARTTLS)));
        if (startTlsInFlight || startTlsWithMore) {
            throw new CommandInjectionDetectedException();
        }
        if (lines.contains(STARTTLS)) {
            ctx.channel().attr(STARTTLS_IN_FLIGHT).set(true);
        }
    }
}
