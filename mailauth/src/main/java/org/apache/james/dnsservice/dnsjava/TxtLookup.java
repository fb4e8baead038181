package org.apache.james.dnsservice.dnsjava;

import java.util.ArrayList;
import java.util.List;

import org.apache.james.dnsservice.api.TemporaryResolutionException;
import org.xbill.DNS.Record;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * TXT lookups through James's resolver that tell "no such record" from "the DNS did not answer".
 * {@code DNSService.findTXTRecords} answers an empty list to both, but DKIM must report a timeout as
 * temperror (retry later) and a missing key as permerror (RFC 6376 6.1.2). DNSJavaService's
 * {@code lookup}, which throws {@link TemporaryResolutionException} on a timeout or SERVFAIL, is
 * protected: this class sits in its package to call it, on the server's own instance (its
 * configured servers, its cache), and adds nothing else. SPF's lookups of other types (A, AAAA,
 * MX, PTR) go through {@link #records} for the same reasons.
 */
public final class TxtLookup {

    private TxtLookup() {
    }

    /** Each TXT record's strings joined (RFC 6376 3.6.2.2); empty when the name has none. */
    public static List<String> txtRecords(DNSJavaService dns, String name) throws TemporaryResolutionException {
        Record[] records = records(dns, name, Type.TXT);
        List<String> texts = new ArrayList<>();
        if (records != null) {
            for (Record record : records) {
                if (record instanceof TXTRecord txt) {
                    texts.add(String.join("", txt.getStrings()));
                }
            }
        }
        return texts;
    }

    /** The records of {@code type} (a dnsjava {@link Type}) at {@code name}; null when it has none. */
    public static Record[] records(DNSJavaService dns, String name, int type) throws TemporaryResolutionException {
        return dns.lookup(name, type, Type.string(type));
    }
}
