package org.maildeck.mailauth;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.james.dnsservice.api.DNSService;
import org.apache.james.dnsservice.api.TemporaryResolutionException;
import org.apache.james.dnsservice.dnsjava.DNSJavaService;
import org.apache.james.dnsservice.dnsjava.TxtLookup;

/**
 * TXT records through the server's own DNSService (its resolver, its cache, a test's DNS server),
 * each record's strings joined, telling "no record" (an empty list) from "the DNS did not answer"
 * ({@link TemporaryResolutionException}): DKIM keys and DMARC policies both need the difference
 * (temperror against permerror or none).
 */
final class TxtRecords {

    /** The strings of a TXT record as DNSService.findTXTRecords renders them: "a" "b". */
    private static final Pattern QUOTED = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");

    private final DNSService dns;

    TxtRecords(DNSService dns) {
        this.dns = dns;
    }

    List<String> lookup(String name) throws TemporaryResolutionException {
        if (dns instanceof DNSJavaService dnsJava) {
            return TxtLookup.txtRecords(dnsJava, name);
        }
        // Another DNSService (a test's in-memory one): it does not report failures, only records.
        List<String> joined = new ArrayList<>();
        for (String rendered : dns.findTXTRecords(name)) {
            joined.add(unquote(rendered));
        }
        return joined;
    }

    private static String unquote(String rendered) {
        Matcher matcher = QUOTED.matcher(rendered);
        StringBuilder text = new StringBuilder();
        boolean quoted = false;
        while (matcher.find()) {
            text.append(matcher.group(1).replaceAll("\\\\(.)", "$1"));
            quoted = true;
        }
        return quoted ? text.toString() : rendered;
    }
}
