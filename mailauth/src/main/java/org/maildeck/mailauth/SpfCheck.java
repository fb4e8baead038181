package org.maildeck.mailauth;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;

import org.apache.james.jspf.core.DNSRequest;
import org.apache.james.jspf.core.DNSService;
import org.apache.james.jspf.core.DNSServiceEnabled;
import org.apache.james.jspf.core.MacroExpand;
import org.apache.james.jspf.core.MacroExpandEnabled;
import org.apache.james.jspf.core.SPFCheckEnabled;
import org.apache.james.jspf.core.exceptions.TimeoutException;
import org.apache.james.jspf.executor.SynchronousSPFExecutor;
import org.apache.james.jspf.impl.DefaultTermsFactory;
import org.apache.james.jspf.impl.SPF;
import org.apache.james.jspf.wiring.WiringServiceTable;

/**
 * One SPF check (RFC 7208 4) with Apache jSPF, on the server's DNS ({@link SpfDns}) and within its
 * bounds: at most {@code maxQueries} DNS queries and {@code maxTime} in all, then temperror.
 * The budget is per check, but the {@link SPF} is built once: building one (its term factory
 * loads and wires every term class) was 16 % of the server's CPU in bench/mail-auth, more than the
 * check itself. So jSPF gets one DNS that answers through the budget of the check running on the
 * calling thread ({@link CheckOnThisThread}); the synchronous executor makes every lookup of a
 * check on that thread. One SPF serves concurrent checks, as James's own SPF handler shares one.
 *
 * <p>Why not {@code new SPF(dns)}: its AsynchronousSPFExecutor stops after the first DNS
 * answer when answers come back already completed (the SPF-type query's empty answer ends the
 * check as none, its TXT follow-up never asked). The synchronous executor asks in the calling
 * thread, which is what an SMTP hook wants anyway; its wiring is what {@code SPF(DNSService)} sets
 * up, the checker itself included for include: and redirect=; its parser remembers the records
 * it parsed ({@link RememberingSpfParser}).</p>
 */
final class SpfCheck {

    private static final Set<String> RESULTS = Set.of("pass", "fail", "softfail", "neutral", "none", "temperror", "permerror");

    private static final int MAX_QUERYING_TERMS = 10;

    private final SpfDns.Lookup dns;
    private final int maxQueries;
    private final Duration maxTime;
    private final Clock clock;
    private final CheckOnThisThread checks = new CheckOnThisThread();
    private final SPF spf;

    SpfCheck(SpfDns.Lookup dns, int maxQueries, Duration maxTime, Clock clock) {
        this.dns = dns;
        this.maxQueries = maxQueries;
        this.maxTime = maxTime;
        this.clock = clock;
        this.spf = newSpf(checks);
    }

    private static SPF newSpf(DNSService dns) {
        WiringServiceTable wiring = new WiringServiceTable();
        wiring.put(DNSServiceEnabled.class, dns);
        MacroExpand macroExpand = new MacroExpand(dns);
        wiring.put(MacroExpandEnabled.class, macroExpand);
        SPF spf = new SPF(dns, new RememberingSpfParser(new DefaultTermsFactory(wiring)), macroExpand, new SynchronousSPFExecutor(dns));
        wiring.put(SPFCheckEnabled.class, spf);
        spf.setUseBestGuess(false);
        spf.setSPFMustEqualsTXT(false);
        return spf;
    }

    /** Checks {@code sender} (empty for the null sender: then the HELO name) for a client at {@code ip}. */
    SpfResult check(String ip, String sender, String helo) {
        boolean heloChecked = sender.isEmpty();
        String identity = heloChecked ? "postmaster@" + helo : sender;
        SpfDns budget = new SpfDns(dns, maxQueries, clock.instant().plus(maxTime), clock);
        org.apache.james.jspf.executor.SPFResult found = checks.run(budget, () -> spf.checkSPF(ip, identity, helo));
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

    /** jSPF's DNS: the budget of the check this thread is running. */
    private static final class CheckOnThisThread extends FixedSpfDnsSettings {

        private final ThreadLocal<SpfDns> running = new ThreadLocal<>();

        <T> T run(SpfDns budget, Supplier<T> check) {
            running.set(budget);
            try {
                return check.get();
            } finally {
                running.remove();
            }
        }

        private SpfDns budget() {
            SpfDns budget = running.get();
            if (budget == null) {
                throw new IllegalStateException("an SPF lookup outside a check (jSPF asked on another thread)");
            }
            return budget;
        }

        @Override
        public List<String> getRecords(DNSRequest request)
                throws TimeoutException {
            return budget().getRecords(request);
        }
    }
}
