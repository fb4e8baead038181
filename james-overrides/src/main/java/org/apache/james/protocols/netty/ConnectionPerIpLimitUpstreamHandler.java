package org.apache.james.protocols.netty;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;

/**
 * Replaces James 3.8.1's class of this name (same public API): a listener's
 * {@code connectionLimitPerIP}. What it mends: James closes a connection over the limit without
 * saying why; this one writes {@link ConnectionLimitWarning}'s line to the mail log. The count of
 * each address changes in one atomic step, an address without connections is forgotten (James
 * kept every address it had seen), and only a connection it counted is counted off, under the
 * address it was counted for.
 */
@ChannelHandler.Sharable
public class ConnectionPerIpLimitUpstreamHandler extends ChannelInboundHandlerAdapter {

    private static final AttributeKey<String> COUNTED_AS = AttributeKey.valueOf("maildeck.connectionLimitPerIP.countedAs");

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
        String ip = ConnectionLimitWarning.ip(ctx.channel().remoteAddress());
        ctx.channel().attr(COUNTED_AS).set(ip);
        int count = connections.merge(ip, 1, Integer::sum);
        // counted even when the total limit closed it already, so that its close counts it off; one warning is enough
        if (count > maxConnectionsPerIp && ctx.channel().isActive()) {
            ConnectionLimitWarning.log(ctx, count, "from " + ConnectionLimitWarning.client(ctx), "connectionLimitPerIP", maxConnectionsPerIp);
            ctx.close();
        }
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        String ip = ctx.channel().attr(COUNTED_AS).getAndSet(null);
        if (ip != null) {
            connections.computeIfPresent(ip, (address, count) -> count > 1 ? count - 1 : null);
        }
        super.channelInactive(ctx);
    }

    /** The addresses with connections now, and how many each has. */
    java.util.Map<String, Integer> connections() {
        return java.util.Map.copyOf(connections);
    }
}
