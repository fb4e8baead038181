package org.maildeck.mailauth.greylist;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import javax.persistence.EntityManagerFactory;
import javax.persistence.Persistence;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.maildeck.testsupport.ManualClock;

class GreylistTest {

    private static final Duration DELAY = Duration.ofSeconds(300);

    @TempDir
    Path home;

    private final ManualClock clock = new ManualClock(Instant.parse("2026-12-07T10:00:00Z"));
    private EntityManagerFactory factory;

    private Greylist open(int autoAllow, int maxPending) {
        factory = Persistence.createEntityManagerFactory("greylist-test",
            Map.of("openjpa.ConnectionURL", "jdbc:derby:" + home.resolve("derby") + ";create=true"));
        return new Greylist(factory, new Greylist.Settings(DELAY, Duration.ofDays(2), Duration.ofDays(35), autoAllow,
            Duration.ofDays(1), maxPending, 1000), clock);
    }

    @AfterEach
    void close() {
        if (factory != null) {
            factory.close();
        }
        try {
            DriverManager.getConnection("jdbc:derby:" + home.resolve("derby") + ";shutdown=true");
        } catch (SQLException expected) {
            // Derby reports a successful shutdown as an exception
        }
    }

    private static InetAddress ip(String address) throws Exception {
        return InetAddress.getByName(address);
    }

    @Test
    void theFirstAttemptIsGreylisted() throws Exception {
        assertThat(open(5, 1000).check(ip("192.0.2.7"), "a@example.org", "b@example.com")).isEqualTo(Greylist.Outcome.NEW);
    }

    @Test
    void aRetryBeforeTheDelayIsStillGreylisted() throws Exception {
        Greylist greylist = open(5, 1000);
        greylist.check(ip("192.0.2.7"), "a@example.org", "b@example.com");
        clock.advance(DELAY.minusSeconds(1));

        assertThat(greylist.check(ip("192.0.2.7"), "a@example.org", "b@example.com")).isEqualTo(Greylist.Outcome.EARLY);
    }

    @Test
    void aRetryAfterTheDelayFromTheSameNetworkPassesAndLaterMailPassesAtOnce() throws Exception {
        Greylist greylist = open(5, 1000);
        greylist.check(ip("192.0.2.7"), "a@example.org", "b@example.com");
        clock.advance(DELAY);

        assertThat(greylist.check(ip("192.0.2.8"), "A@example.org", "b@example.com")).isEqualTo(Greylist.Outcome.RETRIED);
        clock.advance(Duration.ofDays(3));
        assertThat(greylist.check(ip("192.0.2.9"), "a@example.org", "b@example.com")).isEqualTo(Greylist.Outcome.KNOWN);
    }

    @Test
    void anIpv6ClientIsKnownByItsSlash64() throws Exception {
        Greylist greylist = open(5, 1000);
        greylist.check(ip("2001:db8:1:2::7"), "a@example.org", "b@example.com");
        clock.advance(DELAY);

        assertThat(greylist.check(ip("2001:db8:1:2:ffff::1"), "a@example.org", "b@example.com")).isEqualTo(Greylist.Outcome.RETRIED);
        assertThat(greylist.check(ip("2001:db8:1:3::7"), "a@example.org", "b@example.com")).isEqualTo(Greylist.Outcome.NEW);
    }

    @Test
    void aRetryAfterTheWindowStartsAgain() throws Exception {
        Greylist greylist = open(5, 1000);
        greylist.check(ip("192.0.2.7"), "a@example.org", "b@example.com");
        clock.advance(Duration.ofDays(3));

        assertThat(greylist.check(ip("192.0.2.7"), "a@example.org", "b@example.com")).isEqualTo(Greylist.Outcome.NEW);
    }

    @Test
    void aClientIsAllowedAfterTheConfiguredNumberOfPassingRetries() throws Exception {
        Greylist greylist = open(2, 1000);
        for (String rcpt : new String[] {"one@example.com", "two@example.com"}) {
            greylist.check(ip("192.0.2.7"), "a@example.org", rcpt);
            clock.advance(DELAY);
            assertThat(greylist.check(ip("192.0.2.7"), "a@example.org", rcpt)).isEqualTo(Greylist.Outcome.RETRIED);
        }

        assertThat(greylist.check(ip("192.0.2.7"), "new@example.org", "three@example.com")).isEqualTo(Greylist.Outcome.CLIENT_ALLOWED);
    }

    @Test
    void aPassedTripletSurvivesReopening() throws Exception {
        Greylist greylist = open(5, 1000);
        greylist.check(ip("192.0.2.7"), "a@example.org", "b@example.com");
        clock.advance(DELAY);
        greylist.check(ip("192.0.2.7"), "a@example.org", "b@example.com");
        close();

        assertThat(open(5, 1000).check(ip("192.0.2.7"), "a@example.org", "b@example.com")).isEqualTo(Greylist.Outcome.KNOWN);
    }

    @Test
    void thePurgeTrimsPendingTripletsToTheirBoundOldestFirst() throws Exception {
        Greylist greylist = open(5, 10);
        for (int i = 0; i < 25; i++) {
            greylist.check(ip("192.0.2.7"), "spam" + i + "@example.org", "b@example.com");
            clock.advance(Duration.ofSeconds(1));
        }

        assertThat(greylist.purge()).isEqualTo(15);
        clock.advance(DELAY);
        assertThat(greylist.check(ip("192.0.2.7"), "spam0@example.org", "b@example.com")).isEqualTo(Greylist.Outcome.NEW);
        assertThat(greylist.check(ip("192.0.2.7"), "spam24@example.org", "b@example.com")).isEqualTo(Greylist.Outcome.RETRIED);
    }

    @Test
    void thePurgeForgetsPendingTripletsPastTheirWindow() throws Exception {
        Greylist greylist = open(5, 1000);
        greylist.check(ip("192.0.2.7"), "a@example.org", "b@example.com");
        clock.advance(Duration.ofDays(3));

        assertThat(greylist.purge()).isEqualTo(1);
    }

    @Test
    void aFloodOfFirstAttemptsAsksForAnEarlyPurge() throws Exception {
        Greylist greylist = open(5, 10);
        for (int i = 0; i <= 100; i++) {
            assertThat(greylist.purgeDue()).as("after %d first attempts", i).isFalse();
            greylist.check(ip("192.0.2.7"), "spam" + i + "@example.org", "b@example.com");
        }

        assertThat(greylist.purgeDue()).isTrue();
        greylist.purge();
        assertThat(greylist.purgeDue()).isFalse();
    }
}
