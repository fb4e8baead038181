package org.maildeck.mailauth;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.james.dnsservice.api.TemporaryResolutionException;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * Asks every zone about one client at once and waits for the answers at most {@code timeout}
 * in all (postscreen_dnsbl_timeout): a zone that has not answered by then, answered SERVFAIL, or
 * could not be asked because too many lookups are already waiting, counts as not listing, and
 * is named in the result's {@code failed} so that the mail log says so. A slow or broken list
 * therefore costs each client at most {@code timeout}, never a refusal.
 *
 * <p>The lookups go through the server's own resolver ({@link SpfDns.Lookup}: dnsservice.xml's
 * servers and cache) on a small pool of daemon threads with a bounded queue; a lookup still
 * waiting on the resolver after the deadline finishes in the background and its answer lands in
 * the resolver's cache for the client's next connection.</p>
 */
final class DnsblLookup {

    /** The zones that list the client, with the answer, and those that gave no usable answer. */
    record Result(Map<DnsblZone, InetAddress> listed, Map<DnsblZone, String> failed) {
    }

    private final SpfDns.Lookup dns;
    private final Duration timeout;
    private final ThreadPoolExecutor pool;

    DnsblLookup(SpfDns.Lookup dns, Duration timeout, int threads) {
        this.dns = dns;
        this.timeout = timeout;
        this.pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(threads * 16), runnable -> {
            Thread thread = new Thread(runnable, "dnsbl-lookup");
            thread.setDaemon(true);
            return thread;
        });
        pool.allowCoreThreadTimeOut(true);
    }

    Result lookup(InetAddress client, List<DnsblZone> zones) {
        String reversed = ReversedAddress.of(client);
        Map<DnsblZone, CompletableFuture<List<InetAddress>>> pending = new LinkedHashMap<>();
        Map<DnsblZone, String> failed = new LinkedHashMap<>();
        for (DnsblZone zone : zones) {
            try {
                pending.put(zone, CompletableFuture.supplyAsync(() -> addresses(reversed + "." + zone.name()), pool));
            } catch (RejectedExecutionException busy) {
                failed.put(zone, "too many lookups waiting");
            }
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<DnsblZone, InetAddress> listed = new LinkedHashMap<>();
        for (Map.Entry<DnsblZone, CompletableFuture<List<InetAddress>>> entry : pending.entrySet()) {
            try {
                long left = Math.max(0, deadline - System.nanoTime());
                entry.getKey().listing(entry.getValue().get(left, TimeUnit.NANOSECONDS)).ifPresent(code -> listed.put(entry.getKey(), code));
            } catch (TimeoutException late) {
                failed.put(entry.getKey(), "timeout after " + timeout.toMillis() + " ms");
            } catch (ExecutionException e) {
                failed.put(entry.getKey(), String.valueOf(e.getCause().getMessage()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failed.put(entry.getKey(), "interrupted");
            }
        }
        return new Result(listed, failed);
    }

    /** The A records at {@code name}: empty for NXDOMAIN; a timeout or SERVFAIL thrown. */
    private List<InetAddress> addresses(String name) {
        Record[] records;
        try {
            records = dns.records(name, Type.A);
        } catch (TemporaryResolutionException e) {
            throw new IllegalStateException("DNS lookup of " + name + " failed: " + e.getMessage(), e);
        }
        List<InetAddress> addresses = new ArrayList<>();
        if (records != null) {
            for (Record record : records) {
                if (record instanceof ARecord a) {
                    addresses.add(a.getAddress());
                }
            }
        }
        return addresses;
    }

    void close() {
        pool.shutdownNow();
    }
}
