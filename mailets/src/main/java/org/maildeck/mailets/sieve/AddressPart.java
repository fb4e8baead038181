package org.maildeck.mailets.sieve;

import java.util.Locale;
import java.util.Optional;

/**
 * The part of an address a test compares: RFC 5228's {@code :all}, {@code :localpart} and
 * {@code :domain}, and RFC 5233's {@code :user} and {@code :detail} ({@code subaddress}): in
 * {@code alice+lists@example.org} with the recipient delimiter {@code +}, the user is
 * {@code alice} and the detail {@code lists}. As in Postfix and Dovecot, each character of the
 * delimiter string is a delimiter and the first one found cuts. An address without a detail has
 * no {@code :detail} (the test is false for it), and its whole local part is its {@code :user}.
 */
enum AddressPart {
    ALL, LOCALPART, DOMAIN, USER, DETAIL;

    static Optional<AddressPart> ofTag(String tag) {
        return switch (tag.toLowerCase(Locale.ROOT)) {
            case ":all" -> Optional.of(ALL);
            case ":localpart" -> Optional.of(LOCALPART);
            case ":domain" -> Optional.of(DOMAIN);
            case ":user" -> Optional.of(USER);
            case ":detail" -> Optional.of(DETAIL);
            default -> Optional.empty();
        };
    }

    /** This part of {@code localPart@domain}; empty when the address has none (a detail without a delimiter). */
    Optional<String> of(String localPart, String domain, String delimiters) {
        String local = localPart == null ? "" : localPart;
        String host = domain == null ? "" : domain;
        int cut = firstDelimiter(local, delimiters);
        return switch (this) {
            case ALL -> Optional.of(host.isEmpty() ? local : local + "@" + host);
            case LOCALPART -> Optional.of(local);
            case DOMAIN -> Optional.of(host.toLowerCase(Locale.ROOT));
            case USER -> Optional.of(cut < 0 ? local : local.substring(0, cut));
            case DETAIL -> cut < 0 ? Optional.empty() : Optional.of(local.substring(cut + 1));
        };
    }

    /** The same for an envelope address as the envelope holds it ({@code local@domain}, or empty for {@code <>}). */
    Optional<String> ofEnvelope(String address, String delimiters) {
        if (this == ALL) {
            return Optional.of(address);
        }
        int at = address.lastIndexOf('@');
        return at < 0 ? of(address, "", delimiters) : of(address.substring(0, at), address.substring(at + 1), delimiters);
    }

    private static int firstDelimiter(String local, String delimiters) {
        int first = -1;
        for (char delimiter : delimiters.toCharArray()) {
            int at = local.indexOf(delimiter);
            if (at >= 0 && (first < 0 || at < first)) {
                first = at;
            }
        }
        return first;
    }
}
