package org.apache.james.protocols.netty;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Replaces James 3.8.1's class of this name (same public API): a listener's {@code connectionLimit},
 * shared by all its connections. What it mends: James closes a connection over the limit without
 * a reply or a log line; this one writes {@link ConnectionLimitWarning}'s line to the mail log.
 * The connection is still handed on (as James does), so the listener's own connect and disconnect
 * handling stays balanced.
 */
@ChannelHandler.Sharable
public class ConnectionLimitUpstreamHandler extends ChannelInboundHandlerAdapter {

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
        int count = connections.incrementAndGet();
        if (count > maxConnections) {
            ConnectionLimitWarning.log(ctx, count, "in all, the last from " + ConnectionLimitWarning.client(ctx), "connectionLimit", maxConnections);
            ctx.close();
        }
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        connections.decrementAndGet();
        super.channelInactive(ctx);
    }
}
