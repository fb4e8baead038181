package org.maildeck.antivirus;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;

/**
 * Where clamd listens: {@code host:port} (its {@code TCPSocket}/{@code TCPAddr}) or a unix
 * socket path ({@code LocalSocket}; written as a path, or {@code unix:path}). Debian's clamd
 * listens on {@code /run/clamav/clamd.ctl}.
 */
public record ClamdAddress(SocketAddress socketAddress) {

    public static ClamdAddress parse(String text) {
        String value = text.trim();
        if (value.startsWith("unix:")) {
            value = value.substring("unix:".length());
        }
        if (value.startsWith("/")) {
            return new ClamdAddress(UnixDomainSocketAddress.of(Path.of(value)));
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
        return new ClamdAddress(InetSocketAddress.createUnresolved(host, port));
    }

    StandardProtocolFamily family() {
        return socketAddress instanceof UnixDomainSocketAddress ? StandardProtocolFamily.UNIX : null;
    }

    /** The address to connect to, resolving a host name now (clamd may move between calls). */
    SocketAddress resolved() {
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
