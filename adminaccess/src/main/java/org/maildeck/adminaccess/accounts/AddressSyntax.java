package org.maildeck.adminaccess.accounts;

import java.util.Locale;

import javax.mail.internet.AddressException;

import org.apache.james.core.Domain;
import org.apache.james.core.MailAddress;

/**
 * Syntax checks of the addresses and domains an admin types (on the command line or in the web
 * console), so that a typo is reported as such instead of as whatever the store makes of it.
 */
public final class AddressSyntax {

    private AddressSyntax() {
    }

    /** A plain {@code local@domain} address; malformed input is a usage error. */
    public static MailAddress address(String text) {
        int at = text.indexOf('@');
        boolean plain = at > 0 && at == text.lastIndexOf('@') && at < text.length() - 1
            // Quoted local parts and IP literals are legal in RFC 5321 but make no sense for
            // mailbox names an admin types, and WebAdmin's paths do not round-trip them.
            && text.indexOf('"') < 0 && text.indexOf('[') < 0
            && text.chars().noneMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c));
        if (!plain || !isDomain(text.substring(at + 1))) {
            throw malformedAddress(text);
        }
        try {
            MailAddress address = new MailAddress(text);
            // MailAddress stops at the first character it cannot use; the round trip rejects
            // trailing garbage such as "a@example.com>".
            if (!address.asString().equalsIgnoreCase(text)) {
                throw malformedAddress(text);
            }
            return address;
        } catch (AddressException | IllegalArgumentException e) {
            throw malformedAddress(text);
        }
    }

    /**
     * The address of an account: its local part becomes a directory name of the Maildir tree
     * ({@code <root>/<domain>/<localpart>/Maildir}, as Dovecot's %n), so it may not contain a
     * path separator or start with a dot.
     */
    public static MailAddress mailboxOwner(String text) {
        MailAddress address = address(text);
        String localPart = address.getLocalPart();
        if (localPart.indexOf('/') >= 0 || localPart.indexOf('\\') >= 0 || localPart.startsWith(".") || localPart.length() > 64) {
            throw AccountRefused.usage("'%s' cannot own a Maildir: the local part may not contain / or \\, "
                + "start with a dot or be longer than 64 characters", printable(text));
        }
        return address;
    }

    /** A domain name as James' domain list accepts it (no IP literals). */
    public static Domain domain(String text) {
        if (!isDomain(text)) {
            throw AccountRefused.usage("malformed domain '%s'", printable(text));
        }
        return Domain.of(text.toLowerCase(Locale.US));
    }

    private static boolean isDomain(String text) {
        if (text.isEmpty() || text.startsWith("[")) {
            return false;
        }
        try {
            Domain.of(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static AccountRefused malformedAddress(String text) {
        return AccountRefused.usage("malformed address '%s'", printable(text));
    }

    /** The input as shown in an error line: a control character must not break the line. */
    public static String printable(String text) {
        StringBuilder shown = new StringBuilder();
        text.codePoints().forEach(c -> {
            if (Character.isISOControl(c)) {
                shown.append(String.format("\\u%04x", c));
            } else {
                shown.appendCodePoint(c);
            }
        });
        return shown.toString();
    }
}
