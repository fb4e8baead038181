package org.maildeck.assembly.tcp;

import java.util.function.Predicate;

import org.apache.james.protocols.netty.ChannelHandlerFactory;

import io.netty.channel.Channel;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.socket.nio.NioChannelOption;
import jdk.net.ExtendedSocketOptions;

/**
 * Puts a connection back into TCP quick-ACK mode after each reply the server flushes, so that a
 * client which sends its next data in two writes does not wait 40 ms for our ACK.
 *
 * <p>Why: Linux switches a connection into "ping-pong" (interactive) mode when the server sends
 * data shortly after receiving some, on the guess that the reply will carry the ACK of the
 * next request. In that mode the ACK of data that gets no immediate reply waits for the
 * delayed-ACK timer (40 ms at least). IMAP's literals and SMTP's DATA are exactly that case: after
 * our {@code + Ok} (or {@code 354}) the client sends the literal (the message), and the server
 * says nothing until the closing CRLF (the final dot) has arrived. A client with Nagle's
 * algorithm on (the default: Python's imaplib, Java's sockets, most MUAs) that writes the
 * literal and the CRLF separately holds the small second write until the first is ACKed: every
 * APPEND and every message then takes 40 ms, whatever the server's own speed. Dovecot avoids
 * it this way: strace of its imap process shows {@code TCP_QUICKACK} set after every flush of
 * its output (next to a {@code TCP_NODELAY} toggle that pushes the reply out), and tcpdump its
 * ACK of a literal leaving at once; James's Netty pipeline never sets it.
 *
 * <p>Linux clears the flag by itself (the next reply sent quickly re-enters ping-pong mode), so
 * it is set again after every flush, as Dovecot does; one {@code setsockopt} next to a
 * {@code write} that is already a system call. If data arrived before the flag is set, setting
 * it sends the pending ACK at once. The option is JDK's {@code jdk.net} one on Netty's NIO
 * transport (the transport James binds); where it is not supported (not Linux) nothing is done.
 *
 * <p>A listener whose protocol says when data without an immediate answer may follow a reply
 * sets the flag only then ({@link #when}): SMTP and LMTP after the {@code 354} to DATA, not after
 * each of the other six or so replies of a message, every one of them a {@code setsockopt} system
 * call for nothing. IMAP sets it after every reply: a literal may follow any command's
 * continuation request.
 */
@ChannelHandler.Sharable
public final class QuickAckAfterFlush extends ChannelOutboundHandlerAdapter {

    /** The handler's name in a pipeline. */
    public static final String NAME = "quickAckAfterFlush";
    /** After every reply. */
    public static final QuickAckAfterFlush INSTANCE = new QuickAckAfterFlush(channel -> true);

    static final ChannelOption<Boolean> TCP_QUICKACK = NioChannelOption.of(ExtendedSocketOptions.TCP_QUICKACK);

    private final Predicate<Channel> dataMayFollow;

    private QuickAckAfterFlush(Predicate<Channel> dataMayFollow) {
        this.dataMayFollow = dataMayFollow;
    }

    /** After the replies that the client may follow with data it expects no answer to at once. */
    public static QuickAckAfterFlush when(Predicate<Channel> dataMayFollow) {
        return new QuickAckAfterFlush(dataMayFollow);
    }

    /**
     * A listener's frame handler factory that also puts this handler in the pipeline (ahead of
     * the framer; any TLS or compression handler is added in front of both, so every reply,
     * encrypted or not, has reached the socket when this handler runs after the flush).
     */
    public static ChannelHandlerFactory alongside(ChannelHandlerFactory framer) {
        return INSTANCE.before(framer);
    }

    /** As {@link #alongside}, with this handler. */
    public ChannelHandlerFactory before(ChannelHandlerFactory framer) {
        return pipeline -> {
            pipeline.addLast(NAME, this);
            return framer.create(pipeline);
        };
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        // Handlers run on the channel's event loop: once ctx.flush() returns, the reply has been
        // handed to the kernel (or is waiting for room, when the client is busy reading anyway).
        ctx.flush();
        Channel channel = ctx.channel();
        if (channel.isActive() && dataMayFollow.test(channel)) {
            try {
                channel.config().setOption(TCP_QUICKACK, true);
            } catch (ChannelException closedMeanwhile) {
                // nothing left to acknowledge
            }
        }
    }
}
