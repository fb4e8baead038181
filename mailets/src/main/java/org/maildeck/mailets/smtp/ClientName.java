package org.maildeck.mailets.smtp;

import java.net.InetSocketAddress;

import org.apache.james.protocols.api.ProtocolSession;

/**
 * The SMTP client as the mail log names it, Postfix's {@code host[ip]}: {@code unknown} for the
 * host unless its name is already known, since a DNS lookup per log line would slow every
 * session down and let a slow resolver hold up replies.
 */
final class ClientName {

    private ClientName() {
    }

    static String of(ProtocolSession session) {
        InetSocketAddress remote = session.getRemoteAddress();
        String ip = remote.getAddress().getHostAddress();
        String host = remote.getHostString();
        return (host == null || host.equals(ip) ? "unknown" : host) + "[" + ip + "]";
    }
}
