package org.maildeck.mailauth;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.apache.james.jspf.core.DNSRequest;
import org.apache.james.jspf.core.DNSService;
import org.apache.james.jspf.core.exceptions.TimeoutException;

/**
 * What every jSPF DNS view of Maildeck answers the same way, whatever its lookups: no local
 * domain names, no timeout of jSPF's own (the server's resolver has its timeout from
 * dnsservice.xml, and each check's deadline bounds the whole check), RFC 7208 4.6.4's fixed
 * limit of ten MX or PTR names per term, and asynchronous lookups answered at once from the
 * synchronous ones.
 */
abstract class FixedSpfDnsSettings implements DNSService {

    @Override
    public abstract List<String> getRecords(DNSRequest request) throws TimeoutException;

    @Override
    public final CompletionStage<List<String>> getRecordsAsync(DNSRequest request) {
        try {
            return CompletableFuture.completedFuture(getRecords(request));
        } catch (TimeoutException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public final List<String> getLocalDomainNames() {
        return List.of();
    }

    @Override
    public final void setTimeOut(int timeOut) {
        // the server's resolver has its own timeout (dnsservice.xml); each check's deadline bounds it
    }

    @Override
    public final int getRecordLimit() {
        return 10;
    }

    @Override
    public final void setRecordLimit(int recordLimit) {
        // RFC 7208 4.6.4's limit of ten MX or PTR names per term, fixed
    }
}
