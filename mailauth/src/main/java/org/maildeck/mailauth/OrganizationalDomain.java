package org.maildeck.mailauth;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

import com.google.common.net.InternetDomainName;

/**
 * The Organizational Domain of RFC 7489 3.2: the registered name under a public suffix
 * ({@code mail.example.co.uk} -> {@code example.co.uk}), for DMARC's relaxed alignment and its
 * policy lookup at the organization when the author's domain publishes none.
 *
 * <p>The suffixes are Guava's ({@link InternetDomainName#topPrivateDomain}), the public suffix
 * list embedded in the Guava jar the server already carries (James needs it): nothing to read at
 * run time, the same answer on every system, where Debian's {@code publicsuffix} file would be
 * one more package (and another path on RPM systems). Its snapshot is as old as the Guava release;
 * a suffix added since then makes its registrants look like one organization, which only relaxes
 * alignment between them: the price of not reading a file. Like RFC 7489's algorithm (and unlike
 * Guava alone), a name under no listed suffix is taken as under the implicit rule "*": its last
 * two labels ({@code host.lab.test} -> {@code lab.test}).</p>
 */
final class OrganizationalDomain {

    /*
     * Guava checks and splits a name, then probes its public suffix tables once per suffix of it,
     * for every InternetDomainName made: four or five per DMARC-checked message (the author
     * domain's validity, then both sides of each alignment), the largest part of the DMARC hook's
     * CPU in bench/mail-auth. The answers depend on the name alone: remembered.
     */
    private static final BoundedMemo<String, Optional<String>> VALID = new BoundedMemo<>(4096);
    private static final BoundedMemo<String, String> ORGANIZATIONS = new BoundedMemo<>(4096);

    private OrganizationalDomain() {
    }

    /** A host name as DMARC may use it (lower case, no trailing dot), if {@code domain} is one. */
    static Optional<String> valid(String domain) {
        // a host name has 253 characters at most: longer input is checked, not remembered
        return domain.length() > 260 ? check(domain) : VALID.get(domain, OrganizationalDomain::check);
    }

    private static Optional<String> check(String domain) {
        String name = domain.strip().toLowerCase(Locale.ROOT);
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        return InternetDomainName.isValid(name) && name.contains(".") ? Optional.of(name) : Optional.empty();
    }

    /** The Organizational Domain of a valid, lower-case {@code domain}. */
    static String of(String domain) {
        return ORGANIZATIONS.get(domain, OrganizationalDomain::find);
    }

    private static String find(String domain) {
        InternetDomainName name = InternetDomainName.from(domain);
        if (name.isTopPrivateDomain() || name.isPublicSuffix()) {
            return domain;
        }
        if (name.isUnderPublicSuffix()) {
            return name.topPrivateDomain().toString();
        }
        List<String> labels = name.parts();
        return labels.size() <= 2 ? domain : String.join(".", labels.subList(labels.size() - 2, labels.size()));
    }
}
