package org.maildeck.autoconfig;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.apache.commons.configuration2.HierarchicalConfiguration;
import org.apache.commons.configuration2.tree.ImmutableNode;

/**
 * Which of the configured listeners serve mail clients, read from imapserver.xml and
 * smtpserver.xml as the server reads them, so that what clients are told follows what the
 * admin configured:
 * <ul>
 *   <li>incoming: every enabled IMAP listener with TLS (implicit or STARTTLS); a listener without
 *       TLS is never offered, since clients would send passwords in clear;</li>
 *   <li>outgoing: every enabled SMTP listener that refuses MAIL before AUTH (the
 *       {@code AuthRequiredForMail} handler: submission and SMTPS), with TLS. The port-25
 *       listener receives mail from other servers and is not for clients.</li>
 * </ul>
 * Implicit TLS comes first in each list (RFC 8314 section 3 prefers it to STARTTLS for clients),
 * then the configuration's order. Listeners bound to loopback are offered too: on a dev server
 * that is all there is, and an installed server binds the client ports on every address.
 */
public final class ClientListeners {

    private static final String AUTH_REQUIRED_HANDLER = "AuthRequiredForMail";

    private ClientListeners() {
    }

    /**
     * @param hostname the name clients connect to (the one the TLS certificate carries)
     * @param imapServers imapserver.xml's root ({@code <imapservers>})
     * @param smtpServers smtpserver.xml's root ({@code <smtpservers>})
     */
    public static MailClientSettings read(String hostname, HierarchicalConfiguration<ImmutableNode> imapServers,
                                          HierarchicalConfiguration<ImmutableNode> smtpServers) {
        List<Endpoint> incoming = new ArrayList<>();
        for (HierarchicalConfiguration<ImmutableNode> server : imapServers.configurationsAt("imapserver")) {
            incoming.addAll(endpoints(hostname, server));
        }
        List<Endpoint> outgoing = new ArrayList<>();
        for (HierarchicalConfiguration<ImmutableNode> server : smtpServers.configurationsAt("smtpserver")) {
            if (requiresAuthForMail(server)) {
                outgoing.addAll(endpoints(hostname, server));
            }
        }
        Comparator<Endpoint> implicitTlsFirst = Comparator.comparing(endpoint -> endpoint.security() != Endpoint.Security.IMPLICIT_TLS);
        incoming.sort(implicitTlsFirst);
        outgoing.sort(implicitTlsFirst);
        return new MailClientSettings(incoming, outgoing);
    }

    private static List<Endpoint> endpoints(String hostname, HierarchicalConfiguration<ImmutableNode> server) {
        if (!server.getBoolean("[@enabled]", true)) {
            return List.of();
        }
        Endpoint.Security security;
        if (server.getBoolean("tls[@socketTLS]", false)) {
            security = Endpoint.Security.IMPLICIT_TLS;
        } else if (server.getBoolean("tls[@startTLS]", false)) {
            security = Endpoint.Security.STARTTLS;
        } else {
            return List.of();
        }
        List<Endpoint> endpoints = new ArrayList<>();
        for (String bind : server.getString("bind", "").split(",")) {
            int colon = bind.trim().lastIndexOf(':');
            if (colon < 0) {
                continue;
            }
            int port;
            try {
                port = Integer.parseInt(bind.trim().substring(colon + 1));
            } catch (NumberFormatException e) {
                continue;   // the server itself refuses such a listener at start-up
            }
            Endpoint endpoint = new Endpoint(hostname, port, security);
            if (!endpoints.contains(endpoint)) {   // one port bound on two addresses is one endpoint
                endpoints.add(endpoint);
            }
        }
        return endpoints;
    }

    private static boolean requiresAuthForMail(HierarchicalConfiguration<ImmutableNode> server) {
        for (HierarchicalConfiguration<ImmutableNode> handler : server.configurationsAt("handlerchain.handler")) {
            String className = handler.getString("[@class]", "");
            if (className.equals(AUTH_REQUIRED_HANDLER) || className.endsWith("." + AUTH_REQUIRED_HANDLER)) {
                return true;
            }
        }
        return false;
    }
}
