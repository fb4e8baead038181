package org.maildeck.mailauth;

import java.util.List;
import java.util.Optional;
import java.util.function.IntSupplier;

import org.maildeck.mailauth.DmarcDiscovery.Failed;
import org.maildeck.mailauth.DmarcDiscovery.Found;
import org.maildeck.mailauth.DmarcDiscovery.NoPolicy;
import org.maildeck.mailauth.DmarcRecord.Policy;

/**
 * DMARC's evaluation (RFC 7489 4.2, 6.6): a message passes for an author domain when an SPF pass
 * (of the MAIL FROM domain, or the HELO name for the null sender) or a DKIM pass ({@code d=})
 * is aligned with it: the same domain in strict mode, the same Organizational Domain in relaxed
 * mode. A message that does not pass fails, unless an aligned identifier could not be checked
 * for a DNS failure: that is {@code temperror}, so a DNS outage never refuses mail.
 *
 * <p>A From field with several addresses is checked for each author domain, and the strictest
 * policy among the failures applies (6.6.1); a message with no usable author domain is
 * {@code permerror}. The policy of a failure applies to {@code pct} percent of failing mail
 * (6.6.4), the rest gets the next weaker one (reject becomes quarantine, quarantine none):
 * {@code percentile} draws a number below 100 per message.</p>
 */
final class DmarcCheck {

    private final DmarcDiscovery discovery;
    private final IntSupplier percentile;

    DmarcCheck(DmarcDiscovery discovery, IntSupplier percentile) {
        this.discovery = discovery;
        this.percentile = percentile;
    }

    DmarcResult evaluate(List<String> authorDomains, Optional<SpfResult> spf, List<DkimResult> dkim) {
        if (authorDomains.isEmpty()) {
            return DmarcResult.withoutPolicy("permerror", Optional.empty(), "no valid From domain");
        }
        return authorDomains.stream().map(domain -> evaluate(domain, spf, dkim)).min(DmarcResult.WORST_FIRST).orElseThrow();
    }

    private DmarcResult evaluate(String domain, Optional<SpfResult> spf, List<DkimResult> dkim) {
        DmarcDiscovery.Outcome outcome = discovery.discover(domain);
        if (outcome instanceof NoPolicy none) {
            return DmarcResult.withoutPolicy("none", Optional.of(domain), none.why());
        }
        if (outcome instanceof Failed failed) {
            return DmarcResult.withoutPolicy(failed.result(), Optional.of(domain), failed.why());
        }
        Found found = (Found) outcome;
        DmarcRecord record = found.record();
        Policy published = record.policyFor(domain, found.recordDomain());
        Optional<String> spfDomain = spf.map(result -> result.identity().substring(result.identity().lastIndexOf('@') + 1));
        boolean spfAligned = spfDomain.filter(d -> aligned(d, domain, record.strictSpf())).isPresent();
        boolean dkimPasses = dkim.stream().anyMatch(result -> result.result().equals("pass")
            && result.domain().filter(d -> aligned(d, domain, record.strictDkim())).isPresent());
        if (dkimPasses || spfAligned && spf.get().is("pass")) {
            return new DmarcResult("pass", Optional.of(domain), Optional.of(published), Policy.NONE, Optional.empty());
        }
        boolean dnsFailed = spfAligned && spf.get().is("temperror") || dkim.stream().anyMatch(result -> result.result().equals("temperror")
            && result.domain().filter(d -> aligned(d, domain, record.strictDkim())).isPresent());
        if (dnsFailed) {
            return new DmarcResult("temperror", Optional.of(domain), Optional.of(published), Policy.NONE,
                Optional.of("an aligned identifier could not be checked"));
        }
        Policy disposition = percentile.getAsInt() < record.percent() ? published : weaker(published);
        return new DmarcResult("fail", Optional.of(domain), Optional.of(published), disposition, Optional.empty());
    }

    private static boolean aligned(String identifier, String authorDomain, boolean strict) {
        Optional<String> valid = OrganizationalDomain.valid(identifier);
        if (valid.isEmpty()) {
            return false;
        }
        return strict ? valid.get().equals(authorDomain)
            : OrganizationalDomain.of(valid.get()).equals(OrganizationalDomain.of(authorDomain));
    }

    private static Policy weaker(Policy policy) {
        return policy == Policy.REJECT ? Policy.QUARANTINE : Policy.NONE;
    }
}
