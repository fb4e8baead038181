package org.maildeck.autoconfig;

import org.w3c.dom.Element;

/**
 * Thunderbird's autoconfig document (config-v1.1.xml, as Thunderbird fetches it from
 * {@code https://autoconfig.DOMAIN/mail/config-v1.1.xml} and
 * {@code https://DOMAIN/.well-known/autoconfig/mail/config-v1.1.xml}); other clients (K-9/Thunderbird
 * for Android, Evolution, KMail) read the same format. Thunderbird offers the servers in the
 * order given, the first one ticked.
 */
public final class ThunderbirdAutoconfig {

    private final MailClientSettings settings;

    public ThunderbirdAutoconfig(MailClientSettings settings) {
        this.settings = settings;
    }

    /** The document for the (local, already checked) {@code domain}. */
    public String document(String domain) {
        XmlDocument xml = XmlDocument.withRoot(null, "clientConfig");
        xml.root().setAttribute("version", "1.1");
        Element provider = xml.add(xml.root(), "emailProvider");
        provider.setAttribute("id", domain);
        xml.add(provider, "domain", domain);
        xml.add(provider, "displayName", "Mail for " + domain);
        xml.add(provider, "displayShortName", domain);
        for (Endpoint endpoint : settings.incoming()) {
            server(xml, xml.add(provider, "incomingServer"), "imap", endpoint);
        }
        for (Endpoint endpoint : settings.outgoing()) {
            server(xml, xml.add(provider, "outgoingServer"), "smtp", endpoint);
        }
        return xml.serialise();
    }

    private static void server(XmlDocument xml, Element server, String type, Endpoint endpoint) {
        server.setAttribute("type", type);
        xml.add(server, "hostname", endpoint.host());
        xml.add(server, "port", Integer.toString(endpoint.port()));
        xml.add(server, "socketType", endpoint.security() == Endpoint.Security.IMPLICIT_TLS ? "SSL" : "STARTTLS");
        // the password goes inside TLS (both socket types), hence "cleartext"
        xml.add(server, "authentication", "password-cleartext");
        xml.add(server, "username", "%EMAILADDRESS%");
    }
}
