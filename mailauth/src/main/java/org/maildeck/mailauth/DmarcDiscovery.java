package org.maildeck.mailauth;

import java.util.List;
import java.util.Optional;

import org.apache.james.dnsservice.api.DNSService;
import org.apache.james.dnsservice.api.TemporaryResolutionException;

/**
 * Finds the DMARC policy of an author domain (RFC 7489 6.6.3): the TXT records at
 * {@code _dmarc.<domain>} whose first tag is {@code v=DMARC1}; when there are none, the same at
 * the Organizational Domain ({@link OrganizationalDomain}). At most two queries per domain.
 *
 * <p>What the RFC leaves to the receiver, decided here: several DMARC records at one name end
 * discovery with no policy (step 5: "policy discovery terminates and DMARC processing is not
 * applied"), reported as {@code none}; a record longer than {@code maxRecordLength} characters
 * (a real one is well under 200) is not parsed but reported as {@code permerror}, as is one
 * without a usable policy ({@link DmarcRecord#parse}); a DNS that does not answer is
 * {@code temperror}, and the organization's record is not asked for then (it could
 * give a policy the author's own record would have overridden).</p>
 */
final class DmarcDiscovery {

    /** What was found for one author domain. */
    sealed interface Outcome permits Found, NoPolicy, Failed {
    }

    /** A record, found at {@code recordDomain} (the author's domain or its Organizational Domain). */
    record Found(DmarcRecord record, String recordDomain) implements Outcome {
    }

    /** No DMARC policy applies: {@code why} for the log. */
    record NoPolicy(String why) implements Outcome {
    }

    /** {@code result} is temperror or permerror. */
    record Failed(String result, String why) implements Outcome {
    }

    private final TxtRecords txt;
    private final int maxRecordLength;

    DmarcDiscovery(DNSService dns, int maxRecordLength) {
        this.txt = new TxtRecords(dns);
        this.maxRecordLength = maxRecordLength;
    }

    /** The policy of {@code domain}, a valid lower-case name. */
    Outcome discover(String domain) {
        Optional<Outcome> own = at(domain);
        if (own.isPresent()) {
            return own.get();
        }
        String organization = OrganizationalDomain.of(domain);
        if (!organization.equals(domain)) {
            Optional<Outcome> organizations = at(organization);
            if (organizations.isPresent()) {
                return organizations.get();
            }
        }
        return new NoPolicy("no DMARC record");
    }

    /** The outcome at {@code _dmarc.<domain>}; nothing when it holds no DMARC record. */
    private Optional<Outcome> at(String domain) {
        String name = "_dmarc." + domain;
        List<String> records;
        try {
            records = txt.lookup(name).stream().filter(DmarcRecord::isDmarc).toList();
        } catch (TemporaryResolutionException e) {
            return Optional.of(new Failed("temperror", "DNS lookup of " + name + " failed"));
        }
        if (records.isEmpty()) {
            return Optional.empty();
        }
        if (records.size() > 1) {
            return Optional.of(new NoPolicy(records.size() + " DMARC records at " + name));
        }
        String text = records.get(0);
        if (text.length() > maxRecordLength) {
            return Optional.of(new Failed("permerror", "DMARC record at " + name + " over " + maxRecordLength + " characters"));
        }
        return Optional.of(DmarcRecord.parse(text)
            .<Outcome>map(record -> new Found(record, domain))
            .orElseGet(() -> new Failed("permerror", "DMARC record at " + name + " has no valid policy")));
    }
}
