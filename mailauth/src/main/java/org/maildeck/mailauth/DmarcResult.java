package org.maildeck.mailauth;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.maildeck.mailauth.DmarcRecord.Policy;

/**
 * The DMARC outcome for one author domain, in RFC 8601's words ({@code pass}, {@code fail},
 * {@code none}, {@code temperror}, {@code permerror}), with the domain's published policy and
 * what it means for this message ({@code disposition}: the policy after {@code pct}, or
 * {@code none} for anything but a fail).
 */
record DmarcResult(String result, Optional<String> fromDomain, Optional<Policy> published, Policy disposition, Optional<String> why) {

    /** Ranks the outcomes of several author domains: the strictest disposition first, then fail, temperror, permerror, none, pass. */
    private static final List<String> SEVERITY = List.of("fail", "temperror", "permerror", "none", "pass");
    static final Comparator<DmarcResult> WORST_FIRST = Comparator.comparing((DmarcResult r) -> -r.disposition().ordinal())
        .thenComparing(r -> SEVERITY.indexOf(r.result()));

    static DmarcResult withoutPolicy(String result, Optional<String> fromDomain, String why) {
        return new DmarcResult(result, fromDomain, Optional.empty(), Policy.NONE, Optional.of(why));
    }

    /** The Authentication-Results resinfo: {@code dmarc=fail (p=reject dis=reject) header.from=example.com}. */
    String resinfo() {
        StringBuilder text = new StringBuilder("dmarc=").append(result);
        if (published.isPresent()) {
            text.append(" (p=").append(published.get().tag());
            if (result.equals("fail")) {
                text.append(" dis=").append(disposition.tag());
            }
            text.append(')');
        } else {
            why.ifPresent(reason -> text.append(" (").append(reason.replaceAll("[()\\\\]", "")).append(')'));
        }
        fromDomain.ifPresent(domain -> text.append(" header.from=").append(domain));
        return text.toString();
    }
}
