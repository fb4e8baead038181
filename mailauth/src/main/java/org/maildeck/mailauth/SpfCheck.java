package org.maildeck.mailauth;

import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;

import org.apache.james.jspf.core.DNSServiceEnabled;
import org.apache.james.jspf.core.MacroExpand;
import org.apache.james.jspf.core.MacroExpandEnabled;
import org.apache.james.jspf.core.SPFCheckEnabled;
import org.apache.james.jspf.executor.SynchronousSPFExecutor;
import org.apache.james.jspf.impl.DefaultTermsFactory;
import org.apache.james.jspf.impl.SPF;
import org.apache.james.jspf.parser.RFC4408SPF1Parser;
import org.apache.james.jspf.wiring.WiringServiceTable;

/**
 * One SPF check (RFC 7208 4) with Apache jSPF, on the server's DNS ({@link SpfDns}) and within its
 * bounds: at most {@code maxQueries} DNS queries and {@code maxTime} in all, then temperror.
 * jSPF keeps state per check (its DNS budget here), hence a new {@link SPF} each time.
 *
 * <p>Why not {@code new SPF(dns)}: its AsynchronousSPFExecutor stops after the first DNS
 * answer when answers come back already completed (the SPF-type query's empty answer ends the
 * check as none, its TXT follow-up never asked). The synchronous executor asks in the calling
 * thread, which is what an SMTP hook wants anyway; its wiring is what {@code SPF(DNSService)} sets
 * up, the checker itself included for include: and redirect=.</p>
 */
final class SpfCheck {

    private static final Set<String> RESULTS = Set.of("pass", "fail", "softfail", "neutral", "none", "temperror", "permerror");

    private static final int MAX_QUERYING_TERMS = 10;

    private final SpfDns.Lookup dns;
    private final int maxQueries;
    private final Duration maxTime;
    private final Clock clock;

    SpfCheck(SpfDns.Lookup dns, int maxQueries, Duration maxTime, Clock clock) {
        this.dns = dns;
        this.maxQueries = maxQueries;
        this.maxTime = maxTime;
        this.clock = clock;
    }

    private static SPF newSpf(SpfDns dns) {
        WiringServiceTable wiring = new WiringServiceTable();
        wiring.put(DNSServiceEnabled.class, dns);
        MacroExpand macroExpand = new MacroExpand(dns);
        wiring.put(MacroExpandEnabled.class, macroExpand);
        SPF spf = new SPF(dns, new RFC4408SPF1Parser(new DefaultTermsFactory(wiring)), macroExpand, new SynchronousSPFExecutor(dns));
        wiring.put(SPFCheckEnabled.class, spf);
        return spf;
    }

    /** Checks {@code sender} (empty for the null sender: then the HELO name) for a client at {@code ip}. */
    SpfResult check(String ip, String sender, String helo) {
        boolean heloChecked = sender.isEmpty();
        String identity = heloChecked ? "postmaster@" + helo : sender;
        SpfDns budget = new SpfDns(dns, maxQueries, clock.instant().plus(maxTime), clock);
        SPF spf = newSpf(budget);
        spf.setUseBestGuess(false);
        spf.setSPFMustEqualsTXT(false);
        org.apache.james.jspf.executor.SPFResult found = spf.checkSPF(ip, identity, helo);
        String result = found.getResult() == null ? "temperror" : found.getResult().toLowerCase(Locale.ROOT);
        // jSPF 1.0 still says "error" and "unknown", RFC 4408's names for temperror and permerror
        result = switch (result) {
            case "error" -> "temperror";
            case "unknown" -> "permerror";
            default -> RESULTS.contains(result) ? result : "permerror";
        };
        // jSPF's answer when it stops at the lookup limit; a neutral record within the limit has ten at most
        if (result.equals("neutral") && budget.queryingTerms() > MAX_QUERYING_TERMS) {
            return new SpfResult("permerror", identity, heloChecked, "more than " + MAX_QUERYING_TERMS + " DNS-querying terms (RFC 7208 4.6.4)");
        }
        return new SpfResult(result, identity, heloChecked, found.getExplanation() == null ? "" : found.getExplanation());
    }
}
