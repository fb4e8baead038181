package org.maildeck.mailauth;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import org.apache.james.dnsservice.api.DNSService;
import org.apache.james.dnsservice.api.TemporaryResolutionException;
import org.apache.james.jdkim.api.PublicKeyRecordRetriever;
import org.apache.james.jdkim.exceptions.PermFailException;
import org.apache.james.jdkim.exceptions.TempFailException;

/**
 * jDKIM's key lookup ({@code <selector>._domainkey.<domain>} TXT, RFC 6376 3.6.2) through the server's
 * own DNSService, so that the resolver of dnsservice.xml, its cache and a test's DNS server apply. A
 * selector or domain that is not a plain host name is refused before any query (a signature
 * cannot send the resolver anywhere odd), and a record longer than {@code maxRecordLength} is
 * ignored, so an oversized key costs no decoding.
 */
final class DkimKeyRecords implements PublicKeyRecordRetriever {

    private static final Pattern NAME = Pattern.compile("(?:[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9])?\\.)*"
        + "[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9])?");

    private final TxtRecords txt;
    private final int maxRecordLength;

    DkimKeyRecords(DNSService dns, int maxRecordLength) {
        this.txt = new TxtRecords(dns);
        this.maxRecordLength = maxRecordLength;
    }

    @Override
    public List<String> getRecords(CharSequence methodAndOption, CharSequence selector, CharSequence token)
            throws TempFailException, PermFailException {
        if (!"dns/txt".equalsIgnoreCase(methodAndOption.toString())) {
            throw new PermFailException("unsupported key query method " + methodAndOption);
        }
        String name = selector + "._domainkey." + token;
        if (name.length() > 253 || !NAME.matcher(name).matches()) {
            throw new PermFailException("invalid key record name");
        }
        List<String> records = new ArrayList<>();
        for (String record : lookup(name)) {
            if (record.length() <= maxRecordLength) {
                records.add(record);
            }
        }
        if (records.isEmpty()) {
            throw new PermFailException("no key for signature");
        }
        return records;
    }

    private List<String> lookup(String name) throws TempFailException {
        try {
            return txt.lookup(name);
        } catch (TemporaryResolutionException e) {
            throw new TempFailException("DNS lookup of " + name + " failed: " + e.getMessage());
        }
    }
}
