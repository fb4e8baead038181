package org.maildeck.assembly.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import javax.management.ObjectName;
import javax.management.RuntimeMBeanException;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
import javax.management.remote.JMXConnector;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.maildeck.antispam.SpamdProcess;
import org.maildeck.antivirus.ClamdProcess;

/**
 * The content filter's MBeans ({@code org.maildeck:type=ContentFilter} and one
 * {@code type=Scanner} per scanner) count what the scanners said about real mail, read with a
 * real JMX client, against the instance's own clamd and spamd. spamd's timeout and circuit
 * breaker are shortened so that failures take seconds: the breaker opens only when both of the
 * last two calls failed, so a single failure in one test does not open it for the next, and an
 * open circuit lets spamd be tried again after two seconds.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ContentFilterMonitoringIT {

    private static final String DOMAIN = "scanstats.maildeck.test";
    private static final String PASSWORD = TestServer.PASSWORD;
    /** tag2 level -999 and no kill level: every scored message is marked as spam. */
    private static final String MARKED_USER = "marked@" + DOMAIN;
    private static final String CONTENT_FILTER = "org.maildeck:type=ContentFilter";
    private static final String CLAMAV = "org.maildeck:type=Scanner,name=clamav";
    private static final String SPAMASSASSIN = "org.maildeck:type=Scanner,name=spamassassin";
    private static final String QUARANTINE = "org.maildeck:type=Quarantine";
    private static final String LAST_MINUTE = "org.maildeck:type=LastMinute";
    private static final Duration WAIT = Duration.ofSeconds(90);

    /** Of its own: the tests stop its spamd, and count what its scanners saw. */
    @RegisterExtension
    static final TestServer maildeck = TestServer.own(() -> MaildeckInstance.createWithSpamd(
        (fileName, content) -> fileName.equals("contentfilter.properties")
            ? content.replaceFirst("(?m)^spamd\\.timeout=.*$", "spamd.timeout=2s")
                .replaceFirst("(?m)^breaker\\.window=.*$", "breaker.window=2")
                .replaceFirst("(?m)^breaker\\.minimum\\.calls=.*$", "breaker.minimum.calls=2")
                .replaceFirst("(?m)^breaker\\.failure\\.rate\\.percent=.*$", "breaker.failure.rate.percent=100")
                .replaceFirst("(?m)^breaker\\.open\\.for=.*$", "breaker.open.for=2s")
                + "\nspam.levels." + MARKED_USER + "=- -999 off\n"
            : content));
    private static MaildeckInstance server;

    @BeforeAll
    static void addTheMarkedUser() {
        server = maildeck.instance();
        maildeck.domain(DOMAIN).webAdmin().addUser(MARKED_USER, PASSWORD);
    }

    /** A recipient of its own for each message, so its mail-log line says when the message is through. */
    private static String newUser() {
        return maildeck.newUser("u", DOMAIN);
    }

    private static void sendFromOutside(String recipient, String body) throws IOException {
        sendFromOutside("someone@elsewhere.example", recipient, "", body);
    }

    private static void sendFromOutside(String envelopeSender, String recipient, String moreHeaders, String body) throws IOException {
        String message = "From: someone@elsewhere.example\r\nTo: " + recipient + "\r\nSubject: stats " + UUID.randomUUID() + "\r\n"
            + moreHeaders
            + "Date: Sat, 21 Nov 2026 12:00:00 +0000\r\nMessage-ID: <" + UUID.randomUUID() + "@elsewhere.example>\r\n\r\n"
            + body + "\r\n";
        try (SmtpClient smtp = SmtpClient.connectFrom("127.0.0.2", server.port("smtp"))) {
            SmtpClient.expect(smtp.command("EHLO outside.example"), 250);
            SmtpClient.expect(smtp.send(envelopeSender, List.of(recipient), message.getBytes(ISO_8859_1)), 250);
        }
    }

    private static void awaitDelivered(String recipient) throws InterruptedException {
        server.awaitLog("to=<" + recipient + ">, folder=INBOX", WAIT);
    }

    private static long read(String mbean, String attribute) throws Exception {
        return MaildeckJmx.attribute(server, mbean, attribute);
    }

    private static Object invoke(String mbean, String operation, String id) throws Exception {
        try (JMXConnector connector = MaildeckJmx.connectAsAdmin(server)) {
            return connector.getMBeanServerConnection().invoke(new ObjectName(mbean), operation, new Object[] {id}, new String[] {String.class.getName()});
        }
    }

    private static Object attributeValue(String mbean, String attribute) throws Exception {
        try (JMXConnector connector = MaildeckJmx.connectAsAdmin(server)) {
            return connector.getMBeanServerConnection().getAttribute(new ObjectName(mbean), attribute);
        }
    }

    private static long virusesHeld() throws Exception {
        TabularData byCategory = (TabularData) attributeValue(QUARANTINE, "MessagesByCategory");
        CompositeData virus = byCategory.get(new Object[] {"virus"});
        return virus == null ? 0 : (Long) virus.get("value");
    }

    /** Sends a virus to a new user and returns the id it was quarantined under. */
    private static String quarantineAVirusFor(String user) throws Exception {
        String marker = "marker-" + UUID.randomUUID();
        sendFromOutside(user, marker + "\r\n" + ClamdProcess.EICAR);
        String id = server.awaitQuarantined("virus", marker, WAIT);
        // the file is written before its index row: the log line comes after both
        server.awaitLog("quarantine=" + id, WAIT);
        return id;
    }

    private static CompositeData listed(String id) throws Exception {
        return Arrays.stream((CompositeData[]) invoke(QUARANTINE, "listMessages"))
            .filter(row -> row.get("id").equals(id))
            .findFirst().orElseThrow(() -> new AssertionError(id + " not in listMessages"));
    }

    private static Object invoke(String mbean, String operation) throws Exception {
        try (JMXConnector connector = MaildeckJmx.connectAsAdmin(server)) {
            return connector.getMBeanServerConnection().invoke(new ObjectName(mbean), operation, new Object[0], new String[0]);
        }
    }

    @Test
    void aQuarantinedVirusRaisesTheCountTheBytesAndItsCategoryAndIsListedWithItsEnvelope() throws Exception {
        long count = read(QUARANTINE, "MessageCount");
        long bytes = read(QUARANTINE, "TotalBytes");
        long viruses = virusesHeld();
        String user = newUser();

        String id = quarantineAVirusFor(user);

        CompositeData row = listed(id);
        assertThat(row.get("category")).isEqualTo("virus");
        assertThat(row.get("sender")).isEqualTo("someone@elsewhere.example");
        assertThat((String[]) row.get("recipients")).containsExactly(user);
        assertThat(read(QUARANTINE, "MessageCount")).isEqualTo(count + 1);
        assertThat(read(QUARANTINE, "TotalBytes")).isEqualTo(bytes + (Long) row.get("sizeBytes"));
        assertThat(virusesHeld()).isEqualTo(viruses + 1);
    }

    @Test
    void theOldestMessagesAgeGrowsWhileItIsHeld() throws Exception {
        quarantineAVirusFor(newUser());
        long age = read(QUARANTINE, "OldestMessageAgeSeconds");

        Thread.sleep(2100);

        assertThat(read(QUARANTINE, "OldestMessageAgeSeconds")).isGreaterThanOrEqualTo(age + 2);
    }

    @Test
    void releaseDeliversTheMessageToItsRecipientAndTakesItOutOfTheQuarantine() throws Exception {
        String user = newUser();
        String id = quarantineAVirusFor(user);
        long count = read(QUARANTINE, "MessageCount");

        String queueId = (String) invoke(QUARANTINE, "release", id);

        server.awaitLog(id + ": released from quarantine (virus: ", WAIT);
        server.awaitLog(queueId + ": to=<" + user + ">, folder=INBOX", WAIT);
        assertThat(read(QUARANTINE, "MessageCount")).isEqualTo(count - 1);
    }

    @Test
    void deleteRemovesTheMessageAndSaysSoInTheMailLog() throws Exception {
        String id = quarantineAVirusFor(newUser());
        long count = read(QUARANTINE, "MessageCount");

        invoke(QUARANTINE, "delete", id);

        assertThat(read(QUARANTINE, "MessageCount")).isEqualTo(count - 1);
        server.awaitLog(id + ": deleted from quarantine (virus: " + ClamdProcess.SIGNATURE + ") by jmx", WAIT);
    }

    @Test
    void anUnknownIdIsRefusedByName() throws Exception {
        assertThatThrownBy(() -> invoke(QUARANTINE, "delete", "virus-AAAAAAAAAAAA"))
            .isInstanceOf(RuntimeMBeanException.class)
            .hasRootCauseMessage("no quarantined message virus-AAAAAAAAAAAA");
    }

    @Test
    void aCleanMessageRaisesScannedAndCleanAndEachScannersVerdictAndLatencySamples() throws Exception {
        String user = newUser();
        long scanned = read(CONTENT_FILTER, "MessagesScannedTotal");
        long clean = read(CONTENT_FILTER, "CleanTotal");
        long clamavClean = read(CLAMAV, "CleanTotal");
        long clamavVerdicts = read(CLAMAV, "VerdictsTotal");
        long clamavSamples = read(CLAMAV, "LatencySamples");
        long scored = read(SPAMASSASSIN, "ScoredTotal");
        long spamSamples = read(SPAMASSASSIN, "LatencySamples");

        sendFromOutside(user, "Nothing to see here.");
        awaitDelivered(user);

        assertThat(read(CONTENT_FILTER, "MessagesScannedTotal")).isEqualTo(scanned + 1);
        assertThat(read(CONTENT_FILTER, "CleanTotal")).isEqualTo(clean + 1);
        assertThat(read(CLAMAV, "CleanTotal")).isEqualTo(clamavClean + 1);
        assertThat(read(CLAMAV, "VerdictsTotal")).isEqualTo(clamavVerdicts + 1);
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
            var clamav = new ObjectName(CLAMAV);
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
        assertThat(read(LAST_MINUTE, "VirusesFound")).isPositive();
    }

    @Test
    void aBannedAttachmentRaisesBannedForTheMessageAndForTheBannedScanner() throws Exception {
        String user = newUser();
        long banned = read(CONTENT_FILTER, "BannedTotal");
        long scannerBanned = read("org.maildeck:type=Scanner,name=banned", "BannedTotal");
        String boundary = "b-" + UUID.randomUUID();

        // from <>: the banned destiny (bounce) sends no notice that would still be on its way during the next test
        sendFromOutside("", user, "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"" + boundary + "\"\r\n", "--" + boundary + "\r\nContent-Type: application/octet-stream; name=\"setup.exe\"\r\n"
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
        assertThat(read(LAST_MINUTE, "SpamKilledMessages")).isPositive();
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
    void whileSpamdIsDownItsCircuitOpensAndEveryMessageCountsAsAFailure() throws Exception {
        long failures = read(SPAMASSASSIN, "FailuresTotal");
        long circuitOpen = read(SPAMASSASSIN, "CircuitOpenTotal");
        int sent = 0;

        server.spamd().stop();
        try {
            // Two failures open the circuit for 2 s. The messages come in bursts, because the
            // circuit only refuses a call within those 2 s: one message at a time can take longer
            // on a loaded machine, and then every call is a trial that fails and reopens it.
            while (read(SPAMASSASSIN, "CircuitOpenTotal") == circuitOpen && sent < 16) {
                List<String> burst = List.of(newUser(), newUser(), newUser(), newUser());
                for (String user : burst) {
                    sendFromOutside(user, "Spamd is down, message " + sent++);
                }
                for (String user : burst) {
                    awaitDelivered(user);
                }
            }
        } finally {
            server.spamd().restart();
        }

        assertThat(read(SPAMASSASSIN, "CircuitOpenTotal")).as("after %d messages", sent).isGreaterThan(circuitOpen);
        assertThat(read(SPAMASSASSIN, "FailuresTotal")).isEqualTo(failures + sent);
        // breaker.open.for=2s: let spamd be asked again by the other tests
        Thread.sleep(2500);
    }
}
