package org.maildeck.mailauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.apache.james.dnsservice.api.TemporaryResolutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TXTRecord;

class DnsblLookupTest {

    private final CountDownLatch never = new CountDownLatch(1);
    private final Map<String, String> answers = Map.of(
        "7.2.0.192.listed.test", "127.0.0.2",
        "7.2.0.192.garbage.test", "198.51.100.1");

    private final SpfDns.Lookup dns = (name, type) -> {
        if (name.endsWith(".slow.test")) {
            try {
                never.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        }
        if (name.endsWith(".servfail.test")) {
            throw new TemporaryResolutionException("SERVFAIL");
        }
        String answer = answers.get(name);
        try {
            if (name.endsWith(".txt.test")) {
                return new Record[] {new TXTRecord(Name.fromString(name + "."), DClass.IN, 60, "not an address")};
            }
            return answer == null ? null : new Record[] {new ARecord(Name.fromString(name + "."), DClass.IN, 60, InetAddress.getByName(answer))};
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    };

    /** Ample for answers on a loaded machine; the tests of slow zones wait {@link #SHORT}. */
    private static final Duration AMPLE = Duration.ofSeconds(20);
    private static final Duration SHORT = Duration.ofSeconds(2);

    private DnsblLookup lookup;

    @AfterEach
    void close() {
        never.countDown();
        lookup.close();
    }

    private DnsblLookup.Result lookUp(String... zones) throws Exception {
        return lookUp(AMPLE, zones);
    }

    private DnsblLookup.Result lookUp(Duration timeout, String... zones) throws Exception {
        lookup = new DnsblLookup(dns, timeout, 4);
        List<DnsblZone> parsed = new java.util.ArrayList<>();
        for (String zone : zones) {
            parsed.add(DnsblZone.parse(zone, null, ""));
        }
        return lookup.lookup(InetAddress.getByName("192.0.2.7"), parsed);
    }

    @Test
    void aListedClientIsListedWithItsAnswer() throws Exception {
        DnsblLookup.Result result = lookUp("listed.test", "unlisted.test");

        assertThat(result.listed()).hasSize(1);
        assertThat(result.listed().values()).containsExactly(InetAddress.getByName("127.0.0.2"));
        assertThat(result.failed()).isEmpty();
    }

    @Test
    void aSlowZoneIsAFailureAfterTheTimeoutAndTheOthersStillCount() throws Exception {
        DnsblLookup.Result result = lookUp(SHORT, "slow.test", "listed.test");

        assertThat(result.failed().keySet()).extracting(DnsblZone::name).containsExactly("slow.test");
        assertThat(result.failed().values()).allMatch(why -> why.startsWith("timeout"));
        assertThat(result.listed().keySet()).extracting(DnsblZone::name).containsExactly("listed.test");
    }

    @Test
    void servfailIsAFailureNotAListing() throws Exception {
        DnsblLookup.Result result = lookUp("servfail.test");

        assertThat(result.listed()).isEmpty();
        assertThat(result.failed().values()).singleElement().asString().contains("SERVFAIL");
    }

    @Test
    void garbageAnswersAreNotListings() throws Exception {
        DnsblLookup.Result result = lookUp("garbage.test", "txt.test");

        assertThat(result.listed()).isEmpty();
    }

    @Test
    void lookupsBeyondTheQueueAreFailuresNotWaits() throws Exception {
        String[] zones = new String[4 + 4 * 16 + 5];
        for (int i = 0; i < zones.length; i++) {
            zones[i] = "z" + i + ".slow.test";
        }

        DnsblLookup.Result result = lookUp(SHORT, zones);

        assertThat(result.failed().values()).contains("too many lookups waiting");
        assertThat(result.listed()).isEmpty();
    }
}
