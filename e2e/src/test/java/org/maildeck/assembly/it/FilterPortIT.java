package org.maildeck.assembly.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.maildeck.antispam.SpamdProcess;
import org.maildeck.antivirus.ClamdProcess;

/**
 * Maildeck as the after-queue content filter of a real Postfix (amavisd-new's place): Postfix's
 * {@code content_filter = smtp-amavis:[127.0.0.1]:<filter port>} hands each mail to the filter
 * port, which scans it with the instance's real clamd and spamd and passes what it lets through
 * to Postfix's reinjection smtpd, which relays it to an {@link SmtpSink} (the mail's final
 * destination). Postfix's queue and mail log show what Postfix made of each answer.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class FilterPortIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String SENDER = "sender@client.test";
    /** Recipients in this domain are never killed for spam: their GTUBE is tagged. */
    private static final String LENIENT = "lenient.test";
    private static final String REFUSED = "refused@next.test";
    private static final String DEFERRED = "deferred@next.test";

    private static SmtpSink sink;
    private static MaildeckInstance server;
    private static PostfixProcess postfix;

    @BeforeAll
    static void start() throws Exception {
        sink = new SmtpSink();
        server = MaildeckInstance.createWithSpamd((fileName, content) -> switch (fileName) {
            case "contentfilter.properties" -> content + "\nspam.levels." + LENIENT + "=2.0 5.0 off\n";
            default -> content;
        }).start();
        postfix = PostfixProcess.start(PostfixProcess.Options.relayingTo(sink.port())
            .contentFilter(server.port("filterport"), server.port("filterNextHop"))
            .refusingAtReinjection(REFUSED, "550 5.1.1 No such user")
            .refusingAtReinjection(DEFERRED, "450 4.2.0 Try again later"));
    }

    @AfterAll
    static void stop() throws Exception {
        ClassScopedResources.closeAll(postfix, server, sink);
    }

    /** Submits a message to Postfix's smtpd and returns Postfix's queue id for it. */
    private static String submit(String recipient, String message) throws Exception {
        try (SmtpClient smtp = SmtpClient.connect(postfix.smtpPort())) {
            SmtpClient.expect(smtp.command("EHLO client.test"), 250);
            SmtpClient.Reply reply = SmtpClient.expect(smtp.send(SENDER, List.of(recipient), message.getBytes(ISO_8859_1)), 250);
            Matcher id = Pattern.compile("queued as ([0-9A-Za-z]+)").matcher(reply.toString());
            assertThat(id.find()).as(reply.toString()).isTrue();
            return id.group(1);
        }
    }

    private static String message(String recipient, String subject, String body) {
        return "From: " + SENDER + "\r\nTo: " + recipient + "\r\nSubject: " + subject + "\r\n\r\n" + body + "\r\n";
    }

    private static String recipient(String localPart) {
        return localPart + "-" + UUID.randomUUID().toString().substring(0, 8) + "@next.test";
    }

    @Test
    void cleanMailIsPassedOnToTheNextHopWithOurScanHeadersInPlaceOfForgedOnes() throws Exception {
        String recipient = recipient("clean");

        String queueId = submit(recipient, message(recipient, "clean via the filter", "fine")
            .replace("\r\n\r\n", "\r\nX-Virus-Scanned: forged by the sender\r\nX-Spam-Flag: NO, forged by the sender\r\n\r\n"));

        SmtpSink.Received received = sink.awaitMessageFor(recipient, WAIT).orElseThrow();
        assertThat(received.data()).contains("X-Virus-Scanned: Maildeck (ClamAV ").doesNotContain("forged by the sender");
        assertThat(server.awaitMailLog(Pattern.compile(queueId + ": to=<" + Pattern.quote(recipient) + ">, relay=127\\.0\\.0\\.1\\[127\\.0\\.0\\.1\\]:"
            + server.port("filterNextHop") + ", .*status=sent \\(250 "), WAIT)).isNotEmpty();
        assertThat(postfix.awaitMailLog(queueId + ": to=<" + Pattern.quote(recipient) + ">, relay=127\\.0\\.0\\.1\\[127\\.0\\.0\\.1\\]:"
            + server.port("filterport") + ".*status=sent \\(250 2\\.0\\.0 from MTA\\(smtp:\\[127\\.0\\.0\\.1\\]:" + server.port("filterNextHop")))
            .isNotEmpty();
    }

    @Test
    void eicarIsQuarantinedAndNotPassedOn() throws Exception {
        String recipient = recipient("virus");
        String subject = "virus via the filter " + UUID.randomUUID();

        String queueId = submit(recipient, message(recipient, subject, ClamdProcess.EICAR));

        String id = server.awaitQuarantined("virus", subject, WAIT);
        assertThat(postfix.awaitMailLog(queueId + ": to=<" + Pattern.quote(recipient) + ">.*status=sent \\(250 2\\.7\\.0 Ok, discarded, id="
            + id)).isNotEmpty();
        server.awaitLog(queueId + ": to=<" + recipient + ">, relay=content-filter, status=discarded (virus: " + ClamdProcess.SIGNATURE
            + "), quarantine=" + id, WAIT);
        assertThat(sink.awaitMessageFor(recipient, Duration.ofSeconds(2))).isEmpty();
    }

    @Test
    void aReleasedVirusGoesToTheNextHop() throws Exception {
        String recipient = recipient("released");
        String subject = "released virus via the filter " + UUID.randomUUID();
        submit(recipient, message(recipient, subject, ClamdProcess.EICAR));
        String id = server.awaitQuarantined("virus", subject, WAIT);

        MaildeckInstance.Result release = server.maildeck("quarantine", "release", id);

        assertThat(release.exitCode()).as(release.toString()).isZero();
        String data = sink.awaitMessageFor(recipient, WAIT).orElseThrow().data();
        assertThat(data).contains("X-Quarantine-ID: " + id).contains(subject).doesNotContain("X-Maildeck-Next-Hop");
        assertThat(server.data().resolve("quarantine/virus/" + id)).doesNotExist();
    }

    @Test
    void spamIsTaggedForARecipientBelowItsKillLevel() throws Exception {
        String recipient = "tagged-" + UUID.randomUUID().toString().substring(0, 8) + "@" + LENIENT;

        submit(recipient, message(recipient, "spam via the filter", SpamdProcess.GTUBE));

        String data = sink.awaitMessageFor(recipient, WAIT).orElseThrow().data();
        assertThat(data).contains("X-Spam-Flag: YES").contains("Subject: ***SPAM*** spam via the filter").containsPattern("X-Spam-Status: Yes, score=");
    }

    @Test
    void spamAtTheKillLevelIsDiscardedIntoTheQuarantine() throws Exception {
        String recipient = recipient("killed");
        String subject = "killed spam via the filter " + UUID.randomUUID();

        String queueId = submit(recipient, message(recipient, subject, SpamdProcess.GTUBE));

        String id = server.awaitQuarantined("spam", subject, WAIT);
        assertThat(postfix.awaitMailLog(queueId + ": .*status=sent \\(250 2\\.7\\.0 Ok, discarded, id=" + id)).isNotEmpty();
        assertThat(sink.awaitMessageFor(recipient, Duration.ofSeconds(2))).isEmpty();
    }

    @Test
    void aBannedAttachmentIsRefusedSoThatPostfixReturnsItToItsSender() throws Exception {
        String recipient = recipient("banned");
        String subject = "banned via the filter " + UUID.randomUUID();
        String boundary = "b-" + UUID.randomUUID();
        String message = "From: " + SENDER + "\r\nTo: " + recipient + "\r\nSubject: " + subject + "\r\n"
            + "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"" + boundary + "\"\r\n\r\n"
            + "--" + boundary + "\r\nContent-Type: text/plain\r\n\r\nrun it\r\n"
            + "--" + boundary + "\r\nContent-Type: application/octet-stream\r\n"
            + "Content-Disposition: attachment; filename=\"setup.exe\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            + Base64.getMimeEncoder().encodeToString("MZ harmless".getBytes(ISO_8859_1)) + "\r\n--" + boundary + "--\r\n";

        String queueId = submit(recipient, message);

        String id = server.awaitQuarantined("banned", subject, WAIT);
        assertThat(postfix.awaitMailLog(queueId + ": to=<" + Pattern.quote(recipient)
            + ">.*status=bounced \\(host 127\\.0\\.0\\.1\\[127\\.0\\.0\\.1\\] said: 554 5\\.7\\.0 Banned attachment: setup\\.exe: name matches \\*\\.exe, id="
            + id)).isNotEmpty();
        assertThat(sink.awaitMessageFor(recipient, Duration.ofSeconds(2))).isEmpty();
    }

    @Test
    void aRecipientTheNextHopRefusesForGoodIsBouncedByPostfix() throws Exception {
        String queueId = submit(REFUSED, message(REFUSED, "to a refused recipient", "no"));

        assertThat(postfix.awaitMailLog(queueId + ": to=<" + REFUSED + ">.*status=bounced \\(host 127\\.0\\.0\\.1\\[127\\.0\\.0\\.1\\] said: 550 5\\.1\\.1 "
            + "from MTA\\(smtp:\\[127\\.0\\.0\\.1\\]:" + server.port("filterNextHop") + "\\): 550 5\\.1\\.1 <" + REFUSED + ">")).isNotEmpty();
    }

    @Test
    void aRecipientTheNextHopDefersStaysInPostfixsQueue() throws Exception {
        String queueId = submit(DEFERRED, message(DEFERRED, "to a deferred recipient", "later"));

        assertThat(postfix.awaitMailLog(queueId + ": to=<" + DEFERRED + ">.*status=deferred \\(host 127\\.0\\.0\\.1\\[127\\.0\\.0\\.1\\] said: 450 4\\.2\\.0 "
            + "from MTA")).isNotEmpty();
        assertThat(postfix.queueIds()).contains(queueId);
    }

    @Test
    void whileMaildeckIsStoppedPostfixKeepsTheMailAndDeliversItOnceMaildeckIsBack() throws Exception {
        String recipient = recipient("later");
        server.stop();
        String queueId;
        try {
            queueId = submit(recipient, message(recipient, "while Maildeck is stopped", "kept"));

            postfix.awaitMailLog(queueId + ": to=<" + Pattern.quote(recipient) + ">.*status=deferred \\(connect to 127\\.0\\.0\\.1\\[127\\.0\\.0\\.1\\]:"
                + server.port("filterport") + ": Connection refused\\)");
            assertThat(postfix.queueIds()).contains(queueId);
        } finally {
            server.start();
        }
        postfix.flush();

        assertThat(sink.awaitMessageFor(recipient, WAIT)).isPresent();
        assertThat(postfix.queueIds()).doesNotContain(queueId);
    }

    @Test
    void aScanThroughTheFilterPortCountsInTheContentFilterAndScannerMBeans() throws Exception {
        long scanned = MaildeckJmx.attribute(server, "org.maildeck:type=ContentFilter", "MessagesScannedTotal");
        long clamavVerdicts = MaildeckJmx.attribute(server, "org.maildeck:type=Scanner,name=clamav", "VerdictsTotal");
        String recipient = recipient("counted");

        submit(recipient, message(recipient, "counted by the filter", "fine"));

        sink.awaitMessageFor(recipient, WAIT).orElseThrow();
        // at least: Postfix retries the deferred recipient's mail meanwhile, each try a scan
        assertThat(MaildeckJmx.attribute(server, "org.maildeck:type=ContentFilter", "MessagesScannedTotal")).isGreaterThanOrEqualTo(scanned + 1);
        assertThat(MaildeckJmx.attribute(server, "org.maildeck:type=Scanner,name=clamav", "VerdictsTotal")).isGreaterThanOrEqualTo(clamavVerdicts + 1);
    }

    @Test
    void aPostfixSendingSeveralRecipientsAtOnceGetsEachDeliveredOneByOne() throws Exception {
        String first = recipient("first");
        String second = recipient("second");
        // a Postfix without the README's recipient limit: the filter port's 452 to the second RCPT
        // makes it send that recipient in a transaction of its own
        try (PostfixProcess unlimited = PostfixProcess.start(PostfixProcess.Options.relayingTo(sink.port())
                .contentFilter(server.port("filterport")).with("smtp-amavis_destination_recipient_limit = 50"))) {
            try (SmtpClient smtp = SmtpClient.connect(unlimited.smtpPort())) {
                SmtpClient.expect(smtp.command("EHLO client.test"), 250);
                SmtpClient.expect(smtp.send(SENDER, List.of(first, second), message(first, "two at once", "both").getBytes(ISO_8859_1)), 250);
            }
            assertThat(sink.awaitMessageFor(first, WAIT)).isPresent();
            unlimited.flush();

            assertThat(sink.awaitMessageFor(second, WAIT)).isPresent();
            assertThat(sink.received().stream().filter(received -> received.recipients().contains(first)).count()).isEqualTo(1);
        }
    }

    @Test
    void statusShowsTheFilterPortAndItsNextHopAccepting() {
        MaildeckInstance.Result status = server.maildeck("status");

        assertThat(status.stdout()).as(status.toString())
            .containsPattern("(?m)^  filterport +127\\.0\\.0\\.1:" + server.port("filterport") + " +accepting$")
            .containsPattern("(?m)^    next hop +127\\.0\\.0\\.1:" + server.port("filterNextHop") + " +accepting$");
    }

    @Test
    void aClientOutsideTheTrustedNetworksIsRefused() throws Exception {
        try (SmtpClient smtp = SmtpClient.connectFrom("127.0.0.2", server.port("filterport"))) {
            SmtpClient.expect(smtp.command("EHLO outside.example"), 250);

            assertThat(smtp.command("MAIL FROM:<" + SENDER + ">").toString()).contains("554 5.7.1 Client host rejected: Access denied");
        }
    }
}
