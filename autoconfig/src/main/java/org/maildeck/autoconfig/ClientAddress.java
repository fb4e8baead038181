package org.maildeck.autoconfig;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A mail address or domain a client asks to be configured for, checked before anything is
 * built from it: these requests come from anyone on the network. Only plain addresses are
 * taken (dot-atom local part, LDH domain, RFC 5321's lengths); the caller then checks that the
 * domain is one of this server's.
 */
public record ClientAddress(String localPart, String domain) {

    private static final Pattern LOCAL_PART = Pattern.compile("[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*");
    private static final Pattern DOMAIN = Pattern.compile("(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
    private static final int MAX_ADDRESS = 254;
    private static final int MAX_LOCAL_PART = 64;

    /** An address {@code local@domain}; empty when it is not one. */
    public static Optional<ClientAddress> parseAddress(String text) {
        if (text == null || text.length() > MAX_ADDRESS) {
            return Optional.empty();
        }
        int at = text.lastIndexOf('@');
        if (at < 1 || at > MAX_LOCAL_PART || !LOCAL_PART.matcher(text.substring(0, at)).matches()) {
            return Optional.empty();
        }
        return parseDomain(text.substring(at + 1)).map(domain -> new ClientAddress(text.substring(0, at), domain));
    }

    /** A domain name, lower-cased; empty when it is not one. */
    public static Optional<String> parseDomain(String text) {
        if (text == null || !DOMAIN.matcher(text).matches()) {
            return Optional.empty();
        }
        return Optional.of(text.toLowerCase(Locale.ROOT));
    }

    public String address() {
        return localPart + "@" + domain;
    }
}
