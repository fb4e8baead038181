package org.maildeck.antispam;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SpamdClientTest {

    private static SpamdProcess spamd;
    private static SpamdClient client;

    @BeforeAll
    static void startSpamd() {
        spamd = SpamdProcess.start();
        client = spamd.client(Duration.ofSeconds(30));
    }

    @AfterAll
    static void stopSpamd() {
        if (spamd != null) {
            spamd.close();
        }
    }

    private static byte[] message(String subject, String body) {
        return ("From: someone@example.org\r\nTo: alice@example.com\r\nSubject: " + subject + "\r\n"
            + "Date: Sat, 21 Nov 2026 12:00:00 +0000\r\nMessage-ID: <" + UUID.randomUUID() + "@example.org>\r\n\r\n"
            + body + "\r\n").getBytes(US_ASCII);
    }

    @Test
    void pingIsAnswered() throws Exception {
        client.ping();
    }

    @Test
    void gtubeIsSpamWithItsRuleNamed() throws Exception {
        SpamdResult result = client.check(message("test", SpamdProcess.GTUBE), Optional.of("alice@example.com"));

        assertThat(result.spam()).isTrue();
        assertThat(result.score()).isGreaterThanOrEqualTo(1000);
        assertThat(result.threshold()).isEqualTo(5.0);
        assertThat(result.symbols()).contains("GTUBE");
    }

    @Test
    void anOrdinaryMessageIsNotSpam() throws Exception {
        SpamdResult result = client.check(message("lunch", "Shall we meet at noon at the usual place?"), Optional.empty());

        assertThat(result.spam()).isFalse();
        assertThat(result.score()).isLessThan(5.0);
        assertThat(result.symbols()).doesNotContain("GTUBE");
    }

    @Test
    void theReportNamesTheRulesThatHit() throws Exception {
        String report = client.report(message("test", SpamdProcess.GTUBE), Optional.empty());

        assertThat(report).contains("GTUBE").contains("Content analysis details");
    }

    @Test
    void learningAMessageAsSpamCountsInTheBayesDatabase() throws Exception {
        long before = spamd.bayesCounts().spam();

        assertThat(client.learn(message("cheap pills " + UUID.randomUUID(), "buy now " + UUID.randomUUID()),
            SpamdClient.LearnAs.SPAM, Optional.of("alice@example.com"))).isTrue();

        assertThat(spamd.bayesCounts().spam()).isEqualTo(before + 1);
    }

    @Test
    void learningAMessageAsHamCountsInTheBayesDatabase() throws Exception {
        long before = spamd.bayesCounts().ham();

        assertThat(client.learn(message("minutes " + UUID.randomUUID(), "the minutes of today's meeting"),
            SpamdClient.LearnAs.HAM, Optional.of("alice@example.com"))).isTrue();

        assertThat(spamd.bayesCounts().ham()).isEqualTo(before + 1);
    }

    @Test
    void learningTheSameMessageTwiceChangesNothingTheSecondTime() throws Exception {
        byte[] message = message("again " + UUID.randomUUID(), "same words " + UUID.randomUUID());
        client.learn(message, SpamdClient.LearnAs.SPAM, Optional.empty());

        assertThat(client.learn(message, SpamdClient.LearnAs.SPAM, Optional.empty())).isFalse();
    }

    @Test
    void aClosedPortIsUnreachable() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        SpamdClient nobody = new SpamdClient(SpamdClient.Settings.parse("127.0.0.1:" + port, Duration.ofSeconds(1), Duration.ofSeconds(1)));

        assertThatThrownBy(nobody::ping).isInstanceOfSatisfying(SpamdException.class,
            e -> assertThat(e.kind()).isEqualTo(SpamdException.Kind.UNREACHABLE));
    }

    @Test
    void aServerThatNeverAnswersTimesOutWithinTheReadTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0)) {
            SpamdClient slow = new SpamdClient(SpamdClient.Settings.parse("127.0.0.1:" + silent.getLocalPort(),
                Duration.ofSeconds(1), Duration.ofMillis(500)));
            long start = System.nanoTime();

            assertThatThrownBy(() -> slow.check(message("x", "y"), Optional.empty())).isInstanceOfSatisfying(SpamdException.class,
                e -> assertThat(e.kind()).isEqualTo(SpamdException.Kind.TIMEOUT));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void anErrorCodeFromSpamdIsAProtocolError() throws Exception {
        try (ServerSocket odd = new ServerSocket(0)) {
            Thread server = new Thread(() -> {
                try (Socket connection = odd.accept(); OutputStream out = connection.getOutputStream()) {
                    connection.getInputStream().readAllBytes();
                    out.write("SPAMD/1.0 76 Bad header line: (EOF)\r\n".getBytes(US_ASCII));
                } catch (IOException e) {
                    // the test fails on its own
                }
            });
            server.start();
            SpamdClient client = new SpamdClient(SpamdClient.Settings.parse("127.0.0.1:" + odd.getLocalPort(),
                Duration.ofSeconds(1), Duration.ofSeconds(5)));

            assertThatThrownBy(() -> client.check(message("x", "y"), Optional.empty())).isInstanceOfSatisfying(SpamdException.class,
                e -> {
                    assertThat(e.kind()).isEqualTo(SpamdException.Kind.PROTOCOL);
                    assertThat(e.getMessage()).contains("76 Bad header line");
                });
            server.join(5000);
        }
    }

    @Test
    void anAddressWithoutAPortIsRefused() {
        assertThatThrownBy(() -> SpamdClient.Settings.parse("localhost", Duration.ofSeconds(1), Duration.ofSeconds(1)))
            .isInstanceOf(IllegalArgumentException.class);
    }
}
