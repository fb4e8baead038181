package org.maildeck.imap;

import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.function.Supplier;

import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imapserver.netty.HAProxyMessageHandler;
import org.apache.james.imapserver.netty.NettyConstants;
import org.apache.james.protocols.api.ProxyInformation;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Gives each IMAP session its client's address, which James 3.8.1's {@link ImapSession} does
 * not expose (the processors never see the channel): the login throttle needs it. Sits in the
 * pipeline before James's core handler and, once that handler made the session, stores in it a
 * lookup of the address: the one the PROXY protocol announced, when the listener takes it,
 * else the peer's.
 */
@ChannelHandler.Sharable
public final class ImapClientAddress extends ChannelInboundHandlerAdapter {

    public static final String NAME = "maildeckClientAddress";
    private static final String ATTRIBUTE = ImapClientAddress.class.getName();

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        // James's core handler, further down the pipeline, creates the session on this event.
        super.channelActive(ctx);
        Channel channel = ctx.channel();
        ImapSession session = channel.attr(NettyConstants.IMAP_SESSION_ATTRIBUTE_KEY).get();
        if (session != null) {
            Supplier<InetSocketAddress> address = () -> Optional.ofNullable(channel.attr(HAProxyMessageHandler.PROXY_INFO).get())
                .map(ProxyInformation::getSource)
                .orElseGet(() -> (InetSocketAddress) channel.remoteAddress());
            session.setAttribute(ATTRIBUTE, address);
        }
    }

    /** The client of {@code session}; fails when the session did not come through this handler. */
    @SuppressWarnings("unchecked")
    static InetSocketAddress of(ImapSession session) {
        Object address = session.getAttribute(ATTRIBUTE);
        if (address == null) {
            throw new IllegalStateException("IMAP session without a client address: " + NAME + " is not in the pipeline");
        }
        return ((Supplier<InetSocketAddress>) address).get();
    }
}
