package org.apache.james.protocols.netty;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.channel.Channel;
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
 *
 * <p>A full listener does not lock its clients out: when a connection comes over the limit and
 * another one has sent nothing for {@link #STRESS_TIMEOUT} or longer, the one idle longest is
 * closed for inactivity ({@link InactivityDisconnect}) and the newcomer is served. postfix does
 * the same when all its smtpd processes are busy ({@code smtpd_timeout = ${stress?10}}), dovecot
 * closes its oldest connections that have not logged in. Without it, 500 connections that say
 * nothing kept every other client out for the whole idle timeout, and opened again at once.
 * Logged-in IMAP sessions are never closed this way: they idle by design.</p>
 */
@ChannelHandler.Sharable
public class ConnectionLimitUpstreamHandler extends ChannelInboundHandlerAdapter {

    /** postfix's smtpd_timeout under stress. */
    static final Duration STRESS_TIMEOUT = Duration.ofSeconds(10);

    private static final AttributeKey<Boolean> COUNTED = AttributeKey.valueOf("maildeck.connectionLimit.counted");
    private static final AttributeKey<Long> LAST_READ = AttributeKey.valueOf("maildeck.connectionLimit.lastRead");

    private final AtomicInteger connections = new AtomicInteger();
    /** The counted connections that may still be closed to make room. */
    private final Set<Channel> open = ConcurrentHashMap.newKeySet();
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
        Channel channel = ctx.channel();
        channel.attr(COUNTED).set(Boolean.TRUE);
        channel.attr(LAST_READ).set(System.nanoTime());
        int count = connections.incrementAndGet();
        if (count > maxConnections && channel.isActive() && !makeRoom(channel)) {
            ConnectionLimitWarning.log(ctx, count, "in all, the last from " + ConnectionLimitWarning.client(ctx), "connectionLimit", maxConnections);
            ctx.close();
        } else {
            open.add(channel);
        }
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        ctx.channel().attr(LAST_READ).set(System.nanoTime());
        super.channelRead(ctx, msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        open.remove(ctx.channel());
        if (ctx.channel().attr(COUNTED).getAndSet(null) != null) {
            connections.decrementAndGet();
        }
        super.channelInactive(ctx);
    }

    /** Closes the connection idle longest, if one was idle long enough; true if it did. */
    private boolean makeRoom(Channel newcomer) {
        while (true) {
            long now = System.nanoTime();
            Channel longest = null;
            long longestIdle = STRESS_TIMEOUT.toNanos() - 1;
            for (Channel candidate : open) {
                long idle = now - candidate.attr(LAST_READ).get();
                if (idle > longestIdle && InactivityDisconnect.mayMakeRoom(candidate)) {
                    longest = candidate;
                    longestIdle = idle;
                }
            }
            if (longest == null) {
                return false;
            }
            // another newcomer may have taken it meanwhile: then look again
            if (open.remove(longest)) {
                InactivityDisconnect.close(longest, "idle for " + Duration.ofNanos(longestIdle).toSeconds() + " s while the listener is at its connectionLimit "
                    + maxConnections + ", to make room for " + ConnectionLimitWarning.client(newcomer));
                return true;
            }
        }
    }

    /** Connections counted now. */
    int connections() {
        return connections.get();
    }
}
