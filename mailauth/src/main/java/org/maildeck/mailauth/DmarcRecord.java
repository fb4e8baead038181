package org.maildeck.mailauth;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One DMARC policy record (RFC 7489 6.3), e.g. {@code v=DMARC1; p=reject; sp=quarantine; adkim=s; pct=50; rua=mailto:d@example.org}.
 * The tags used here: {@code p} and {@code sp} (the policy for the domain and its subdomains),
 * {@code adkim} and {@code aspf} ({@code r} relaxed, the default, or {@code s} strict), {@code pct}
 * (the percentage of failing mail the policy applies to, 100 by default) and whether {@code rua}
 * asks for aggregate reports (none are sent: see the README). Other tags are ignored, and so
 * are invalid values of the optional ones, which fall back to their defaults (6.3: "syntax
 * errors in the remainder of the record SHOULD be discarded in favor of default values").
 *
 * <p>A record without a valid {@code p} (or with an invalid {@code sp}) is used as
 * {@code p=none} when it has an {@code rua} tag, and is otherwise not a usable policy
 * (6.6.3 step 6): {@link #parse} then answers nothing, which the evaluation reports as
 * {@code permerror}.</p>
 */
record DmarcRecord(Policy policy, Optional<Policy> subdomainPolicy, boolean strictDkim, boolean strictSpf, int percent, boolean asksForReports) {

    enum Policy {
        NONE, QUARANTINE, REJECT;

        String tag() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Optional<Policy> named(String value) {
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "none" -> Optional.of(NONE);
                case "quarantine" -> Optional.of(QUARANTINE);
                case "reject" -> Optional.of(REJECT);
                default -> Optional.empty();
            };
        }
    }

    private static final Pattern VERSION = Pattern.compile("(?i)v\\s*=\\s*DMARC1\\s*(;.*)?", Pattern.DOTALL);
    private static final Pattern PERCENT = Pattern.compile("[0-9]{1,3}");

    /** Whether {@code text} is a DMARC record at all: its first tag is {@code v=DMARC1} (6.6.3 step 3). */
    static boolean isDmarc(String text) {
        return VERSION.matcher(text.strip()).matches();
    }

    /** The record {@code text} (a {@link #isDmarc} one) stands for, or nothing when it has no usable policy. */
    static Optional<DmarcRecord> parse(String text) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (String part : text.split(";")) {
            int equals = part.indexOf('=');
            if (equals > 0) {
                tags.putIfAbsent(part.substring(0, equals).strip().toLowerCase(Locale.ROOT), part.substring(equals + 1).strip());
            }
        }
        boolean reports = tags.getOrDefault("rua", "").toLowerCase(Locale.ROOT).contains("mailto:");
        Optional<Policy> policy = Optional.ofNullable(tags.get("p")).flatMap(Policy::named);
        Optional<Policy> subdomains = Optional.ofNullable(tags.get("sp")).flatMap(Policy::named);
        boolean invalidSubdomains = tags.containsKey("sp") && subdomains.isEmpty();
        if (policy.isEmpty() || invalidSubdomains) {
            return reports ? Optional.of(new DmarcRecord(Policy.NONE, Optional.empty(), false, false, 100, true)) : Optional.empty();
        }
        String percent = tags.getOrDefault("pct", "100");
        int pct = PERCENT.matcher(percent).matches() && Integer.parseInt(percent) <= 100 ? Integer.parseInt(percent) : 100;
        return Optional.of(new DmarcRecord(policy.get(), subdomains, "s".equalsIgnoreCase(tags.get("adkim")),
            "s".equalsIgnoreCase(tags.get("aspf")), pct, reports));
    }

    /** The policy for mail from {@code fromDomain} when this record was found at {@code recordDomain}. */
    Policy policyFor(String fromDomain, String recordDomain) {
        return fromDomain.equals(recordDomain) ? policy : subdomainPolicy.orElse(policy);
    }
}
