package org.maildeck.mailauth;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import org.apache.james.dnsservice.api.DNSService;
import org.apache.james.dnsservice.api.TemporaryResolutionException;
import org.apache.james.dnsservice.dnsjava.DNSJavaService;
import org.apache.james.dnsservice.dnsjava.TxtLookup;
import org.apache.james.jspf.core.DNSRequest;
import org.apache.james.jspf.core.exceptions.TimeoutException;
import org.apache.james.jspf.impl.DNSServiceXBillImpl;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * jSPF's view of the DNS for one SPF check: the server's own resolver (its configured servers and
 * cache, so that what dnsservice.xml says applies, tests' DNS server included), with a budget.
 * jSPF itself stops at RFC 7208 4.6.4's ten DNS-querying terms (permerror); this budget bounds
 * what it does not: the queries of one check in all ({@code maxQueries}, counting the MX and PTR
 * follow-ups and the void lookups of 4.6.4 too) and the time spent ({@code deadline}). Either
 * spent, the next query fails as a timeout, which jSPF reports as temperror.
 *
 * <p>The obsolete SPF record type (RFC 7208 3.1 forbids publishing only it) is not asked for:
 * it has no records.</p>
 */
final class SpfDns extends FixedSpfDnsSettings {

    /** Records of a dnsjava type at a name, null when none; a timeout or SERVFAIL thrown. */
    interface Lookup {
        Record[] records(String name, int type) throws TemporaryResolutionException;

        /** Through the server's resolver; another DNSService (no resolver of ours) answers every query with a timeout. */
        static Lookup of(DNSService dns) {
            if (dns instanceof DNSJavaService dnsJava) {
                return (name, type) -> TxtLookup.records(dnsJava, name, type);
            }
            return (name, type) -> {
                throw new TemporaryResolutionException("no DNS resolver to ask (" + dns.getClass().getName() + ")");
            };
        }
    }

    private final Lookup dns;
    private final int maxQueries;
    private final Instant deadline;
    private final Clock clock;
    private int queries;
    private int queryingTerms;

    /** The terms that cost a DNS query (RFC 7208 4.6.4), lower case, without their qualifier: whole, or followed by what may follow. */
    private static final List<String> QUERYING_WORDS = List.of("a", "mx", "ptr");
    private static final List<String> QUERYING_PREFIXES = List.of("include:", "a:", "a/", "mx:", "mx/", "ptr:", "exists:", "redirect=");

    SpfDns(Lookup dns, int maxQueries, Instant deadline, Clock clock) {
        this.dns = dns;
        this.maxQueries = maxQueries;
        this.deadline = deadline;
        this.clock = clock;
    }

    @Override
    public synchronized List<String> getRecords(DNSRequest request) throws TimeoutException {
        int type = switch (request.getRecordType()) {
            case DNSRequest.A -> Type.A;
            case DNSRequest.AAAA -> Type.AAAA;
            case DNSRequest.MX -> Type.MX;
            case DNSRequest.PTR -> Type.PTR;
            case DNSRequest.TXT -> Type.TXT;
            default -> -1;
        };
        if (type < 0) {
            return List.of();
        }
        if (++queries > maxQueries) {
            throw new TimeoutException("more than " + maxQueries + " DNS queries for one SPF check");
        }
        if (!clock.instant().isBefore(deadline)) {
            throw new TimeoutException("SPF check out of time before looking up " + request.getHostname());
        }
        try {
            // null for a name without such records, as jSPF's own DNSServiceXBillImpl answers
            List<String> records = DNSServiceXBillImpl.convertRecordsToList(dns.records(request.getHostname(), type));
            if (type == Type.TXT && records != null) {
                for (String text : records) {
                    if (text.regionMatches(true, 0, "v=spf1 ", 0, 7)) {
                        queryingTerms += queryingTermsOf(text);
                    }
                }
            }
            return records;
        } catch (TemporaryResolutionException e) {
            throw new TimeoutException("DNS lookup of " + request.getHostname() + " failed: " + e.getMessage());
        }
    }

    /**
     * The DNS-querying terms of an SPF record's text (terms separated by spaces). A plain scan:
     * lower-casing the record, splitting it with a regular expression and matching one per term
     * was a sixth of an SPF check's CPU in bench/mail-auth.
     */
    static int queryingTermsOf(String record) {
        int count = 0;
        int at = 0;
        while (at < record.length()) {
            int end = record.indexOf(' ', at);
            end = end < 0 ? record.length() : end;
            int term = at < end && "-+~?".indexOf(record.charAt(at)) >= 0 ? at + 1 : at;
            if (isQuerying(record, term, end)) {
                count++;
            }
            at = end + 1;
        }
        return count;
    }

    private static boolean isQuerying(String record, int term, int end) {
        for (String word : QUERYING_WORDS) {
            if (end - term == word.length() && record.regionMatches(true, term, word, 0, word.length())) {
                return true;
            }
        }
        for (String prefix : QUERYING_PREFIXES) {
            if (end - term >= prefix.length() && record.regionMatches(true, term, prefix, 0, prefix.length())) {
                return true;
            }
        }
        return false;
    }

    /**
     * The DNS-querying terms in the SPF records fetched so far. jSPF stops at the eleventh
     * (RFC 7208 4.6.4) but reports it as neutral, not permerror; {@link SpfCheck} tells the two apart
     * by this count.
     */
    synchronized int queryingTerms() {
        return queryingTerms;
    }
}
