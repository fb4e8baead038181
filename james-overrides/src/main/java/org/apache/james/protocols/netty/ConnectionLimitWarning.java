package org.apache.james.protocols.netty;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;

/**
 * The mail-log line for a connection refused by a listener's limit (Maildeck's own class), like
 * postfix's {@code warning: Connection concurrency limit exceeded}. James closes such a connection
 * without saying why, so the admin saw only a client that could not connect.
 */
final class ConnectionLimitWarning {

    private static final Logger MAIL_LOG = LoggerFactory.getLogger("maildeck.mail");

    private ConnectionLimitWarning() {
    }

    static void log(ChannelHandlerContext ctx, int connections, String whose, String setting, int limit) {
        MAIL_LOG.warn("warning: connection limit exceeded: {} connections {} to {} ({} {}); connection closed",
            connections, whose, address(ctx.channel().localAddress()), setting, limit);
    }

    static String client(ChannelHandlerContext ctx) {
        return client(ctx.channel());
    }

    static String client(Channel channel) {
        return "[" + ip(channel.remoteAddress()) + "]";
    }

    static String ip(SocketAddress address) {
        return address instanceof InetSocketAddress inet ? inet.getAddress().getHostAddress() : String.valueOf(address);
    }

    static String address(SocketAddress address) {
        if (!(address instanceof InetSocketAddress inet)) {
            return String.valueOf(address);
        }
        String host = ip(inet);
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + inet.getPort();
    }
}
