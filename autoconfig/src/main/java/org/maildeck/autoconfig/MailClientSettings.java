package org.maildeck.autoconfig;

import java.util.List;

/**
 * What a mail client of this server is told to use: where it reads mail (IMAP) and where it
 * submits mail (SMTP with AUTH), each in the order a client should try them. Every endpoint
 * needs TLS and a password; the user name is always the whole mail address.
 */
public record MailClientSettings(List<Endpoint> incoming, List<Endpoint> outgoing) {

    public MailClientSettings {
        incoming = List.copyOf(incoming);
        outgoing = List.copyOf(outgoing);
    }

    /** Whether there is anything to tell a client: one place to read mail and one to send it. */
    public boolean complete() {
        return !incoming.isEmpty() && !outgoing.isEmpty();
    }
}
