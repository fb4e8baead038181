package org.maildeck.localdaemon;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;

/**
 * Where a local daemon listens: {@code host:port} (an IPv6 host may be bracketed) or a unix socket
 * path (written as a path, or {@code unix:path}). Debian's clamd listens on
 * {@code /run/clamav/clamd.ctl}, its spamd on {@code 127.0.0.1:783}.
 */
public record DaemonAddress(SocketAddress socketAddress) {

    public static DaemonAddress parse(String text) {
        String value = text.trim();
        if (value.startsWith("unix:")) {
            value = value.substring("unix:".length());
        }
        if (value.startsWith("/")) {
            return new DaemonAddress(UnixDomainSocketAddress.of(Path.of(value)));
        }
        int colon = value.lastIndexOf(':');
        if (colon <= 0 || colon == value.length() - 1) {
            throw new IllegalArgumentException("not host:port or a socket path: " + text);
        }
        String host = value.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(value.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad port in " + text, e);
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range in " + text);
        }
        return new DaemonAddress(InetSocketAddress.createUnresolved(host, port));
    }

    /** A {@code host:port} address; a socket path is refused, for a daemon reached over TCP only. */
    public static DaemonAddress parseTcp(String text) {
        DaemonAddress address = parse(text);
        if (address.isUnixSocket()) {
            throw new IllegalArgumentException("not host:port: " + text);
        }
        return address;
    }

    public boolean isUnixSocket() {
        return socketAddress instanceof UnixDomainSocketAddress;
    }

    /** The protocol family to open a channel with: UNIX for a socket path, null (the default) for TCP. */
    public StandardProtocolFamily family() {
        return isUnixSocket() ? StandardProtocolFamily.UNIX : null;
    }

    /** The address to connect to, resolving a host name now (the daemon may move between calls). */
    public SocketAddress resolved() {
        if (socketAddress instanceof InetSocketAddress inet && inet.isUnresolved()) {
            return new InetSocketAddress(inet.getHostString(), inet.getPort());
        }
        return socketAddress;
    }

    @Override
    public String toString() {
        if (socketAddress instanceof InetSocketAddress inet) {
            return inet.getHostString() + ":" + inet.getPort();
        }
        return "unix:" + ((UnixDomainSocketAddress) socketAddress).getPath();
    }
}
