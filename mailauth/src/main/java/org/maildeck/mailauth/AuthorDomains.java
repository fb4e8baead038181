package org.maildeck.mailauth;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import javax.mail.MessagingException;
import javax.mail.internet.AddressException;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeMessage;

/**
 * The author domains of a message for DMARC (RFC 7489 3.1, 6.6.1): the distinct domains of the
 * addresses in its From field(s), lower case. A field that does not parse, or an address whose
 * domain is not a host name, gives none; at most {@code max} domains are taken, so a From field
 * with thousands of addresses costs no more than a few policy lookups.
 */
final class AuthorDomains {

    private AuthorDomains() {
    }

    static List<String> of(MimeMessage message, int max) throws MessagingException {
        String[] fields = message.getHeader("From");
        Set<String> domains = new LinkedHashSet<>();
        if (fields == null) {
            return List.of();
        }
        for (String field : fields) {
            InternetAddress[] addresses;
            try {
                addresses = InternetAddress.parseHeader(field, false);
            } catch (AddressException e) {
                continue;
            }
            for (InternetAddress address : addresses) {
                String text = address.getAddress();
                if (text != null && text.lastIndexOf('@') > 0) {
                    OrganizationalDomain.valid(text.substring(text.lastIndexOf('@') + 1)).ifPresent(domains::add);
                }
                if (domains.size() >= max) {
                    return List.copyOf(domains);
                }
            }
        }
        return List.copyOf(domains);
    }
}
