package org.maildeck.mailets.smtpd;

import java.net.InetSocketAddress;

import org.apache.james.protocols.api.ProtocolSession;

/**
 * A client as the mail log names it, Postfix's {@code host[ip]}: {@code unknown} for the
 * host unless its name is already known, since a DNS lookup per log line would slow every
 * session down and let a slow resolver hold up replies.
 */
public final class ClientName {

    private ClientName() {
    }

    public static String of(ProtocolSession session) {
        return of(session.getRemoteAddress());
    }

    public static String of(InetSocketAddress remote) {
        String ip = remote.getAddress().getHostAddress();
        String host = remote.getHostString();
        return (host == null || host.equals(ip) ? "unknown" : host) + "[" + ip + "]";
    }
}
