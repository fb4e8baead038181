package org.apache.james.protocols.netty;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Replaces James 3.8.1's class of this name (same public API): a listener's
 * {@code connectionLimitPerIP}. What it mends: James closes a connection over the limit without a
 * reply or a log line; this one writes {@link ConnectionLimitWarning}'s line to the mail log. The
 * count of each address changes in one atomic step and an address without connections is
 * forgotten, where James's kept every address it had seen.
 */
@ChannelHandler.Sharable
public class ConnectionPerIpLimitUpstreamHandler extends ChannelInboundHandlerAdapter {

    private final ConcurrentMap<String, Integer> connections = new ConcurrentHashMap<>();
    private final int maxConnectionsPerIp;

    private ConnectionPerIpLimitUpstreamHandler(int maxConnectionsPerIp) {
        this.maxConnectionsPerIp = maxConnectionsPerIp;
    }

    /** None for a limit of 0 or less: no limit. */
    public static Optional<ConnectionPerIpLimitUpstreamHandler> forCount(int maxConnectionsPerIp) {
        return maxConnectionsPerIp > 0 ? Optional.of(new ConnectionPerIpLimitUpstreamHandler(maxConnectionsPerIp)) : Optional.empty();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        int count = connections.merge(ConnectionLimitWarning.ip(ctx.channel().remoteAddress()), 1, Integer::sum);
        if (count > maxConnectionsPerIp) {
            ConnectionLimitWarning.log(ctx, count, "from " + ConnectionLimitWarning.client(ctx), "connectionLimitPerIP", maxConnectionsPerIp);
            ctx.close();
        }
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        connections.computeIfPresent(ConnectionLimitWarning.ip(ctx.channel().remoteAddress()), (ip, count) -> count > 1 ? count - 1 : null);
        super.channelInactive(ctx);
    }
}
