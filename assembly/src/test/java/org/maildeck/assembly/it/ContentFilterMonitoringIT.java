package org.maildeck.assembly.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.maildeck.antispam.SpamdProcess;
import org.maildeck.antivirus.ClamdProcess;

/**
 * The content filter's MBeans ({@code org.maildeck:type=ContentFilter} and one
 * {@code type=Scanner} per scanner) count what the scanners said about real mail, read with a
 * real JMX client, against the instance's own clamd and spamd. spamd's timeout and circuit
 * breaker are shortened so that failures take seconds: the breaker opens only when both of the
 * last two calls failed, so a single failure in one test does not disturb the next.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ContentFilterMonitoringIT {

    private static final String DOMAIN = "scanstats.maildeck.test";
    private static final String PASSWORD = "Scan-Stats-Pa55word";
    /** tag2 level -999 and no kill level: every scored message is marked as spam. */
    private static final String MARKED_USER = "marked@" + DOMAIN;
    private static final String CONTENT_FILTER = "org.maildeck:type=ContentFilter";
    private static final String CLAMAV = "org.maildeck:type=Scanner,name=clamav";
    private static final String SPAMASSASSIN = "org.maildeck:type=Scanner,name=spamassassin";
    private static final Duration WAIT = Duration.ofSeconds(90);

    private static MaildeckInstance server;

    @BeforeAll
    static void startServer() {
        server = MaildeckInstance.createWithSpamd((fileName, content) -> fileName.equals("contentfilter.properties")
            ? content.replaceFirst("(?m)^spamd\\.timeout=.*$", "spamd.timeout=2s")
                .replaceFirst("(?m)^breaker\\.window=.*$", "breaker.window=2")
                .replaceFirst("(?m)^breaker\\.minimum\\.calls=.*$", "breaker.minimum.calls=2")
                .replaceFirst("(?m)^breaker\\.failure\\.rate\\.percent=.*$", "breaker.failure.rate.percent=100")
                .replaceFirst("(?m)^breaker\\.open\\.for=.*$", "breaker.open.for=2s")
                + "\nspam.levels." + MARKED_USER + "=- -999 off\n"
            : content).start();
        new WebAdmin(server).addDomain(DOMAIN).addUser(MARKED_USER, PASSWORD);
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    /** A recipient of its own for each message, so its mail-log line says when the message is through. */
    private static String newUser() {
        String user = "u" + UUID.randomUUID().toString().substring(0, 8) + "@" + DOMAIN;
        new WebAdmin(server).addUser(user, PASSWORD);
        return user;
    }

    private static void sendFromOutside(String recipient, String body) throws IOException {
        sendFromOutside(recipient, "", body);
    }

    private static void sendFromOutside(String recipient, String moreHeaders, String body) throws IOException {
        String message = "From: someone@elsewhere.example\r\nTo: " + recipient + "\r\nSubject: stats " + UUID.randomUUID() + "\r\n"
            + moreHeaders
            + "Date: Sat, 21 Nov 2026 12:00:00 +0000\r\nMessage-ID: <" + UUID.randomUUID() + "@elsewhere.example>\r\n\r\n"
            + body + "\r\n";
        try (SmtpClient smtp = SmtpClient.connectFrom("127.0.0.2", server.port("smtp"))) {
            SmtpClient.expect(smtp.command("EHLO outside.example"), 250);
            SmtpClient.expect(smtp.send("someone@elsewhere.example", List.of(recipient), message.getBytes(ISO_8859_1)), 250);
        }
    }

    private static void awaitDelivered(String recipient) throws InterruptedException {
        server.awaitLog("to=<" + recipient + ">, folder=INBOX", WAIT);
    }

    private static long read(String mbean, String attribute) throws Exception {
        return MaildeckJmx.attribute(server, mbean, attribute);
    }

    @Test
    void aCleanMessageRaisesScannedAndCleanAndEachScannersVerdictAndLatencySamples() throws Exception {
        String user = newUser();
        long scanned = read(CONTENT_FILTER, "MessagesScannedTotal");
        long clean = read(CONTENT_FILTER, "CleanTotal");
        long clamavClean = read(CLAMAV, "CleanTotal");
        long clamavSamples = read(CLAMAV, "LatencySamples");
        long scored = read(SPAMASSASSIN, "ScoredTotal");
        long spamSamples = read(SPAMASSASSIN, "LatencySamples");

        sendFromOutside(user, "Nothing to see here.");
        awaitDelivered(user);

        assertThat(read(CONTENT_FILTER, "MessagesScannedTotal")).isEqualTo(scanned + 1);
        assertThat(read(CONTENT_FILTER, "CleanTotal")).isEqualTo(clean + 1);
        assertThat(read(CLAMAV, "CleanTotal")).isEqualTo(clamavClean + 1);
        assertThat(read(CLAMAV, "LatencySamples")).isEqualTo(clamavSamples + 1);
        assertThat(read(SPAMASSASSIN, "ScoredTotal")).isEqualTo(scored + 1);
        assertThat(read(SPAMASSASSIN, "LatencySamples")).isEqualTo(spamSamples + 1);
    }

    @Test
    void scanLatenciesAreReportedInMilliseconds() throws Exception {
        String user = newUser();
        sendFromOutside(user, "Timing.");
        awaitDelivered(user);

        try (var connector = MaildeckJmx.connectAsAdmin(server)) {
            var jmx = connector.getMBeanServerConnection();
            var clamav = new javax.management.ObjectName(CLAMAV);
            double median = (Double) jmx.getAttribute(clamav, "LatencyMedianMillis");
            double p99 = (Double) jmx.getAttribute(clamav, "LatencyP99Millis");
            double max = (Double) jmx.getAttribute(clamav, "LatencyMaxMillis");

            // a clamd answer on loopback takes more than a microsecond and less than the 60 s timeout
            assertThat(median).isBetween(0.001, 60_000.0);
            assertThat(p99).isBetween(median, max);
        }
    }

    @Test
    void aVirusRaisesInfectedForTheMessageAndForClamavAndSpamassassinLeavesItUnchecked() throws Exception {
        String user = newUser();
        long infected = read(CONTENT_FILTER, "InfectedTotal");
        long clamavInfected = read(CLAMAV, "InfectedTotal");
        long unscored = read(SPAMASSASSIN, "UncheckedTotal");

        sendFromOutside(user, ClamdProcess.EICAR);
        server.awaitLog("to=<" + user + ">, relay=content-filter, status=discarded (virus: ", WAIT);

        assertThat(read(CONTENT_FILTER, "InfectedTotal")).isEqualTo(infected + 1);
        assertThat(read(CLAMAV, "InfectedTotal")).isEqualTo(clamavInfected + 1);
        assertThat(read(SPAMASSASSIN, "UncheckedTotal")).isEqualTo(unscored + 1);
    }

    @Test
    void aBannedAttachmentRaisesBannedForTheMessageAndForTheBannedScanner() throws Exception {
        String user = newUser();
        long banned = read(CONTENT_FILTER, "BannedTotal");
        long scannerBanned = read("org.maildeck:type=Scanner,name=banned", "BannedTotal");
        String boundary = "b-" + UUID.randomUUID();

        sendFromOutside(user, "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"" + boundary + "\"\r\n", "--" + boundary + "\r\nContent-Type: application/octet-stream; name=\"setup.exe\"\r\n"
            + "Content-Disposition: attachment; filename=\"setup.exe\"\r\nContent-Transfer-Encoding: base64\r\n\r\nTVqQAAMAAAAEAAAA\r\n"
            + "--" + boundary + "--");
        server.awaitLog("to=<" + user + ">, relay=content-filter, status=", WAIT);

        assertThat(read(CONTENT_FILTER, "BannedTotal")).isEqualTo(banned + 1);
        assertThat(read("org.maildeck:type=Scanner,name=banned", "BannedTotal")).isEqualTo(scannerBanned + 1);
    }

    @Test
    void gtubeAtTheKillLevelRaisesSpamKilled() throws Exception {
        String user = newUser();
        long killed = read(CONTENT_FILTER, "SpamKilledTotal");

        sendFromOutside(user, SpamdProcess.GTUBE);
        server.awaitLog("to=<" + user + ">, relay=content-filter, status=discarded (spam: ", WAIT);

        assertThat(read(CONTENT_FILTER, "SpamKilledTotal")).isEqualTo(killed + 1);
    }

    @Test
    void aMessageAtTheTag2LevelRaisesSpamTagged() throws Exception {
        long tagged = read(CONTENT_FILTER, "SpamTaggedTotal");

        sendFromOutside(MARKED_USER, "An ordinary message, marked because this user's tag2 level is -999.");
        server.awaitLog("to=<" + MARKED_USER + ">, folder=Junk", WAIT);

        assertThat(read(CONTENT_FILTER, "SpamTaggedTotal")).isEqualTo(tagged + 1);
    }

    @Test
    void aSpamdThatDoesNotAnswerInTimeRaisesTimeoutsAndSpamUnchecked() throws Exception {
        String user = newUser();
        long timeouts = read(SPAMASSASSIN, "TimeoutsTotal");
        long failures = read(SPAMASSASSIN, "FailuresTotal");
        long unchecked = read(CONTENT_FILTER, "SpamUncheckedTotal");

        server.spamd().freeze();
        try {
            sendFromOutside(user, "Spamd is frozen.");
            awaitDelivered(user);
        } finally {
            server.spamd().thaw();
        }

        assertThat(read(SPAMASSASSIN, "TimeoutsTotal")).isEqualTo(timeouts + 1);
        assertThat(read(SPAMASSASSIN, "FailuresTotal")).isEqualTo(failures + 1);
        assertThat(read(CONTENT_FILTER, "SpamUncheckedTotal")).isEqualTo(unchecked + 1);
    }

    @Test
    void afterTwoFailuresInARowTheThirdMessageFindsTheCircuitOpen() throws Exception {
        String scoredFirst = newUser();
        sendFromOutside(scoredFirst, "A success first, so the circuit's window does not start with another test's failure.");
        awaitDelivered(scoredFirst);
        long failures = read(SPAMASSASSIN, "FailuresTotal");
        long circuitOpen = read(SPAMASSASSIN, "CircuitOpenTotal");

        server.spamd().stop();
        try {
            for (int message = 0; message < 3; message++) {
                String user = newUser();
                sendFromOutside(user, "Spamd is down, message " + message);
                awaitDelivered(user);
            }
        } finally {
            server.spamd().restart();
        }

        assertThat(read(SPAMASSASSIN, "FailuresTotal")).isEqualTo(failures + 3);
        assertThat(read(SPAMASSASSIN, "CircuitOpenTotal")).isEqualTo(circuitOpen + 1);
        // breaker.open.for=2s: let the circuit close again for the other tests
        Thread.sleep(2500);
    }
}
