package org.apache.james.protocols.netty;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;

/**
 * Replaces James 3.8.1's class of this name (same public API): a listener's {@code connectionLimit},
 * shared by all its connections. What it mends: James closes a connection over the limit without
 * saying why; this one writes {@link ConnectionLimitWarning}'s line to the mail log. Only a
 * connection it counted is counted off: Netty may report a channel inactive that never became
 * active (set-up failed), which lowered James's count for good. The connection is still handed on
 * (as James does), so the listener's own connect and disconnect handling stays balanced.
 */
@ChannelHandler.Sharable
public class ConnectionLimitUpstreamHandler extends ChannelInboundHandlerAdapter {

    private static final AttributeKey<Boolean> COUNTED = AttributeKey.valueOf("maildeck.connectionLimit.counted");

    private final AtomicInteger connections = new AtomicInteger();
    private final int maxConnections;

    private ConnectionLimitUpstreamHandler(int maxConnections) {
        this.maxConnections = maxConnections;
    }

    /** None for a limit of 0 or less: no limit. */
    public static Optional<ConnectionLimitUpstreamHandler> forCount(int maxConnections) {
        return maxConnections > 0 ? Optional.of(new ConnectionLimitUpstreamHandler(maxConnections)) : Optional.empty();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        ctx.channel().attr(COUNTED).set(Boolean.TRUE);
        int count = connections.incrementAndGet();
        if (count > maxConnections && ctx.channel().isActive()) {
            ConnectionLimitWarning.log(ctx, count, "in all, the last from " + ConnectionLimitWarning.client(ctx), "connectionLimit", maxConnections);
            ctx.close();
        }
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (ctx.channel().attr(COUNTED).getAndSet(null) != null) {
            connections.decrementAndGet();
        }
        super.channelInactive(ctx);
    }

    /** Connections counted now. */
    int connections() {
        return connections.get();
    }
}
