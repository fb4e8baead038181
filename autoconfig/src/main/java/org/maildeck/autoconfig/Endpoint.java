package org.maildeck.autoconfig;

/** One address a mail client connects to: host, port, and how TLS starts there. */
public record Endpoint(String host, int port, Security security) {

    /** TLS from the first byte (IMAPS, SMTPS: RFC 8314's implicit TLS) or after STARTTLS. */
    public enum Security {
        IMPLICIT_TLS,
        STARTTLS
    }

    public Endpoint {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }
}
