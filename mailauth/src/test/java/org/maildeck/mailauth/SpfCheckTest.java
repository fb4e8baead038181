package org.maildeck.mailauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.james.dnsservice.api.TemporaryResolutionException;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

class SpfCheckTest {

    private static final String CLIENT = "192.0.2.1";

    private final Map<String, String> txt = new HashMap<>();
    private final AtomicInteger queries = new AtomicInteger();

    private final SpfDns.Lookup zone = (name, type) -> {
        queries.incrementAndGet();
        String key = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        if (key.startsWith("down.")) {
            throw new TemporaryResolutionException("SERVFAIL");
        }
        String text = txt.get(key);
        if (type != Type.TXT || text == null) {
            return null;
        }
        try {
            return new Record[] {new TXTRecord(Name.fromString(key + "."), DClass.IN, 300, text)};
        } catch (TextParseException e) {
            throw new IllegalStateException(e);
        }
    };

    private SpfResult check(String sender) {
        return new SpfCheck(zone, 30, Duration.ofSeconds(20), Clock.systemUTC()).check(CLIENT, sender, "client.example");
    }

    @Test
    void anAuthorisedClientPasses() {
        txt.put("example.com", "v=spf1 ip4:192.0.2.0/24 -all");

        assertThat(check("alice@example.com").result()).isEqualTo("pass");
    }

    @Test
    void anUnauthorisedClientFailsUnderMinusAll() {
        txt.put("example.com", "v=spf1 ip4:198.51.100.1 -all");

        assertThat(check("alice@example.com").result()).isEqualTo("fail");
    }

    @Test
    void tildeAllIsSoftfail() {
        txt.put("example.com", "v=spf1 ip4:198.51.100.1 ~all");

        assertThat(check("alice@example.com").result()).isEqualTo("softfail");
    }

    @Test
    void questionMarkAllIsNeutral() {
        txt.put("example.com", "v=spf1 ?all");

        assertThat(check("alice@example.com").result()).isEqualTo("neutral");
    }

    @Test
    void aDomainWithoutRecordIsNone() {
        assertThat(check("alice@example.com").result()).isEqualTo("none");
    }

    @Test
    void aSyntaxErrorIsPermerror() {
        txt.put("example.com", "v=spf1 ip4:not-an-address -all");

        assertThat(check("alice@example.com").result()).isEqualTo("permerror");
    }

    @Test
    void elevenIncludesAreOverTheTenLookupLimitAndPermerror() {
        StringBuilder record = new StringBuilder("v=spf1");
        for (int i = 0; i < 11; i++) {
            txt.put("i" + i + ".example", "v=spf1 ip4:198.51.100." + i + " -all");
            record.append(" include:i").append(i).append(".example");
        }
        txt.put("example.com", record.append(" -all").toString());

        assertThat(check("alice@example.com").result()).isEqualTo("permerror");
    }

    @Test
    void elevenAMechanismsAreOverTheTenLookupLimitAndPermerror() {
        StringBuilder record = new StringBuilder("v=spf1");
        for (int i = 0; i < 11; i++) {
            record.append(" a:h").append(i).append(".example.com");
        }
        txt.put("example.com", record.append(" -all").toString());

        assertThat(check("alice@example.com").result()).isEqualTo("permerror");
    }

    @Test
    void tenIncludesAreWithinTheLimit() {
        StringBuilder record = new StringBuilder("v=spf1");
        for (int i = 0; i < 10; i++) {
            txt.put("i" + i + ".example.com", "v=spf1 ip4:198.51.100." + i + " -all");
            record.append(" include:i").append(i).append(".example.com");
        }
        txt.put("example.com", record.append(" -all").toString());

        assertThat(check("alice@example.com").result()).isEqualTo("fail");
    }

    @Test
    void aDnsFailureIsTemperror() {
        assertThat(check("alice@down.example.com").result()).isEqualTo("temperror");
    }

    @Test
    void aCheckOverItsQueryBudgetStopsAsTemperror() {
        txt.put("example.com", "v=spf1 a:a1.example.com a:a2.example.com a:a3.example.com a:a4.example.com -all");

        SpfResult result = new SpfCheck(zone, 3, Duration.ofSeconds(20), Clock.systemUTC()).check(CLIENT, "alice@example.com", "client.example");

        assertThat(result.result()).isEqualTo("temperror");
        assertThat(queries.get()).isEqualTo(3);
    }

    @Test
    void eachCheckOfOneSpfCheckHasABudgetOfItsOwn() {
        txt.put("example.com", "v=spf1 a:a1.example.com a:a2.example.com a:a3.example.com a:a4.example.com -all");
        txt.put("example.org", "v=spf1 ip4:192.0.2.0/24 -all");
        SpfCheck checks = new SpfCheck(zone, 3, Duration.ofSeconds(20), Clock.systemUTC());

        SpfResult spent = checks.check(CLIENT, "alice@example.com", "client.example");
        SpfResult next = checks.check(CLIENT, "bob@example.org", "client.example");

        assertThat(spent.result()).isEqualTo("temperror");
        assertThat(next.result()).isEqualTo("pass");
    }

    @Test
    void concurrentChecksOfOneSpfCheckEachGetTheirOwnAnswer() throws Exception {
        txt.put("example.com", "v=spf1 ip4:192.0.2.0/24 -all");
        txt.put("example.net", "v=spf1 ip4:198.51.100.1 -all");
        SpfCheck checks = new SpfCheck(zone, 30, Duration.ofSeconds(20), Clock.systemUTC());
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<String>> results = new java.util.ArrayList<>();
            for (int i = 0; i < 200; i++) {
                String sender = i % 2 == 0 ? "a@example.com" : "a@example.net";
                results.add(threads.submit(() -> sender + "=" + checks.check(CLIENT, sender, "client.example").result()));
            }
            for (int i = 0; i < results.size(); i++) {
                assertThat(results.get(i).get()).isEqualTo(i % 2 == 0 ? "a@example.com=pass" : "a@example.net=fail");
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void aCheckOutOfTimeAsksNothingAndIsTemperror() {
        txt.put("example.com", "v=spf1 ip4:192.0.2.0/24 -all");

        SpfResult result = new SpfCheck(zone, 30, Duration.ZERO, Clock.systemUTC()).check(CLIENT, "alice@example.com", "client.example");

        assertThat(result.result()).isEqualTo("temperror");
        assertThat(queries.get()).isZero();
    }

    @Test
    void theNullSenderIsCheckedByItsHeloName() {
        txt.put("client.example", "v=spf1 ip4:192.0.2.1 -all");

        SpfResult result = check("");

        assertThat(result.result()).isEqualTo("pass");
        assertThat(result.resinfo()).isEqualTo("spf=pass smtp.helo=client.example");
    }

    @Test
    void theResinfoNamesTheMailFromAddress() {
        txt.put("example.com", "v=spf1 ip4:192.0.2.1 -all");

        assertThat(check("alice@example.com").resinfo()).isEqualTo("spf=pass smtp.mailfrom=alice@example.com");
    }
}
