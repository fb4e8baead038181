package org.maildeck.mailets.smtpd;

import java.util.Locale;

/**
 * Rewrites an RCPT forward-path into the address the relay decision must look at:
 * <ul>
 *   <li>a source route {@code @a.example,@b.example:user@c.example} becomes
 *   {@code user@c.example} (RFC 5321 4.1.1.3: accept, and ignore the route);</li>
 *   <li>a trailing dot ends the domain ({@code user@example.com.} is {@code user@example.com}).</li>
 * </ul>
 * Case is left to James, which compares domains without it. International domains arrive in
 * their ASCII form ({@code xn--bcher-kva.example}): SMTPUTF8 is not offered, and James reads
 * command lines as ASCII, so a UTF-8 domain is a syntax error ({@code 553 5.1.3}).
 */
final class RecipientPath {

    private RecipientPath() {
    }

    static String normalise(String path) {
        String address = withoutSourceRoute(path);
        int at = address.lastIndexOf('@');
        if (at < 0 || at == address.length() - 1 || address.charAt(at + 1) == '[') {
            return address;
        }
        return address.substring(0, at + 1) + withoutTrailingDot(address.substring(at + 1));
    }

    /** An address without a domain, other than the postmaster (which RFC 5321 lets go unqualified). */
    static boolean isUnqualified(String path) {
        return !path.contains("@") && !path.isEmpty() && !path.toLowerCase(Locale.ROOT).equals("postmaster");
    }

    private static String withoutSourceRoute(String path) {
        if (path.startsWith("@")) {
            int colon = path.indexOf(':');
            if (colon > 0) {
                return path.substring(colon + 1);
            }
        }
        return path;
    }

    private static String withoutTrailingDot(String domain) {
        return domain.endsWith(".") && !domain.endsWith("..") ? domain.substring(0, domain.length() - 1) : domain;
    }
}
