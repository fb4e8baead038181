package org.maildeck.assembly.managesieve;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.james.managesieve.api.Session;
import org.apache.james.managesieve.transcode.ManageSieveProcessor;
import org.apache.james.managesieveserver.netty.ManageSieveChannelUpstreamHandler;
import org.apache.james.managesieveserver.netty.NettyConstants;
import org.apache.james.protocols.netty.Encryption;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.util.AttributeKey;

/**
 * James's ManageSieve connection handler, with the request gathered before James sees it.
 *
 * <p>Why: James appends each line of a request to a String and re-parses the whole request at
 * every line until a literal ({@code PUTSCRIPT "x" {N+}}) is complete: quadratic in the script's
 * size. Here the lines are gathered in a builder until the announced literal is there, then
 * James gets the request in one piece. A literal announced larger than the limit is refused
 * at once, and the connection closed ({@code BYE}) since its bytes would follow; so is a request
 * over the limit, or a line over the line limit.</p>
 *
 * <p>Also: the session knows its client's address ({@link ClientSession}), and STARTTLS is done
 * here ({@link #startTls}).</p>
 */
@ChannelHandler.Sharable
final class BoundedRequestHandler extends ManageSieveChannelUpstreamHandler {

    private static final AttributeKey<Pending> PENDING = AttributeKey.valueOf("maildeck.managesieve.pending");
    private static final Pattern LITERAL = Pattern.compile("\\{(\\d{1,10})\\+?}\\r?\\n?$");

    private final ManageSieveProcessor processor;
    private final Encryption secure;
    private final int maxLiteral;
    private final int maxRequest;

    BoundedRequestHandler(ManageSieveProcessor processor, Encryption secure, int maxLiteral, int maxRequest) {
        super(processor, secure, maxRequest);
        this.processor = processor;
        this.secure = secure;
        this.maxLiteral = maxLiteral;
        this.maxRequest = maxRequest;
    }

    /** A request being gathered: its text so far and the length it needs. */
    private static final class Pending {
        final StringBuilder text = new StringBuilder();
        long bytes;
        long needed;
        /** The literal's announced size, in bytes, or -1. */
        long literal = -1;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        ctx.channel().attr(PENDING).set(new Pending());
        super.channelActive(ctx);
        Session james = ctx.channel().attr(NettyConstants.SESSION_ATTRIBUTE_KEY).get();
        ClientSession session = new ClientSession((InetSocketAddress) ctx.channel().remoteAddress());
        session.setSslEnabled(james.isSslEnabled());
        ctx.channel().attr(NettyConstants.SESSION_ATTRIBUTE_KEY).set(session);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        Pending pending = ctx.channel().attr(PENDING).get();
        String line = (String) msg;
        if (pending.text.length() == 0 && line.strip().equalsIgnoreCase("STARTTLS") && startTls(ctx)) {
            return;
        }
        if (pending.text.length() == 0) {
            Matcher literal = LITERAL.matcher(line);
            pending.needed = 0;
            pending.literal = -1;
            if (literal.find()) {
                long size = Long.parseLong(literal.group(1));
                if (size > maxLiteral) {
                    refuse(ctx, "NO (QUOTA/MAXSIZE) \"Literal of " + size + " bytes over the limit of " + maxLiteral + "\"");
                    return;
                }
                // the literal, then the CRLF that ends the command
                pending.needed = utf8Length(line) + size + 2;
                pending.literal = size;
            }
        }
        pending.text.append(line);
        pending.bytes += utf8Length(line);
        if (pending.bytes > maxRequest) {
            refuse(ctx, "NO (QUOTA/MAXSIZE) \"Request over the limit of " + maxRequest + " bytes\"");
            return;
        }
        if (pending.bytes < pending.needed) {
            return;
        }
        String request = inCharacters(pending);
        pending.text.setLength(0);
        pending.bytes = 0;
        super.channelRead(ctx, request);
    }

    /**
     * STARTTLS, answered here: James writes its {@code OK} from its executor thread and adds the
     * TLS handler at once, so the {@code OK} may go out encrypted (the client, waiting for it in
     * clear, fails the handshake). Here nothing more is read until the {@code OK} is on the wire
     * and the TLS handler in place; then the capabilities are sent again, as RFC 5804 2.2 asks.
     * False when James should answer (no TLS configured, TLS on already, or logged in).
     */
    private boolean startTls(ChannelHandlerContext ctx) {
        Session session = ctx.channel().attr(NettyConstants.SESSION_ATTRIBUTE_KEY).get();
        if (secure == null || !secure.isStartTLS() || session == null || session.isSslEnabled()
                || session.getState() != Session.State.UNAUTHENTICATED) {
            return false;
        }
        Channel channel = ctx.channel();
        channel.config().setAutoRead(false);
        session.setSslEnabled(true);
        channel.attr(NettyConstants.RESPONSE_WRITER_ATTRIBUTE_KEY).get().stopDetectingCommandInjection();
        channel.writeAndFlush(Unpooled.copiedBuffer("OK\r\n", StandardCharsets.US_ASCII)).addListener(written -> {
            if (!written.isSuccess()) {
                channel.close();
                return;
            }
            channel.pipeline().addFirst("sslHandler", secure.sslHandler());
            channel.config().setAutoRead(true);
            write(ctx, processor.getAdvertisedCapabilities() + "OK\r\n");
        });
        return true;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
        if (cause instanceof TooLongFrameException) {
            refuse(ctx, "NO (QUOTA/MAXSIZE) \"Line too long\"");
            return;
        }
        super.exceptionCaught(ctx, cause);
    }

    /**
     * The request with its literal's size counted in characters: James compares it with the
     * length of a String (a script with non-ASCII text would otherwise never be complete).
     */
    private static String inCharacters(Pending pending) {
        String request = pending.text.toString();
        if (pending.literal < 0) {
            return request;
        }
        long characters = pending.literal - (pending.bytes - request.length());
        int end = request.indexOf('\n');
        Matcher literal = LITERAL.matcher(request.substring(0, end + 1));
        if (!literal.find()) {
            return request;
        }
        return request.substring(0, literal.start(1)) + characters + request.substring(literal.end(1));
    }

    private static long utf8Length(String text) {
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    private static void refuse(ChannelHandlerContext ctx, String answer) {
        write(ctx, answer + "\r\nBYE \"Closing the connection\"\r\n");
        ctx.channel().attr(NettyConstants.SESSION_ATTRIBUTE_KEY).set(null);
        ctx.channel().writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    private static void write(ChannelHandlerContext ctx, String text) {
        ctx.channel().attr(NettyConstants.RESPONSE_WRITER_ATTRIBUTE_KEY).get().write(text);
    }
}
