package org.maildeck.assembly.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.maildeck.antispam.SpamdProcess;
import org.maildeck.antivirus.ClamdProcess;
import org.maildeck.milter.MilterClient;
import org.maildeck.milter.MilterPacket;

/**
 * The milter listener of the assembled server, as Postfix uses it before its queue, through a
 * real socket with {@link MilterClient} speaking for Postfix, against the instance's real clamd
 * and spamd: each test runs one message and reads the end-of-message replies and the mail log.
 * Banned attachments are discarded here ({@code destiny.banned=discard}) to cover that destiny;
 * one recipient has no kill level, so GTUBE is tagged for it instead of discarded.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class MilterIT {

    private static final String SPAM_LOVER = "lover@postfix.example";
    private static final String RECIPIENT = "bob@postfix.example";
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String CONTENT_FILTER = "org.maildeck:type=ContentFilter";

    @RegisterExtension
    static final TestServer maildeck = TestServer.own(() -> MaildeckInstance.createWithSpamd((fileName, content) -> switch (fileName) {
        case "milter.properties" -> content.replaceFirst("(?m)^destiny\\.banned=.*$", "destiny.banned=discard");
        // the test that stops clamd must not leave the circuit open for the others
        case "contentfilter.properties" -> content.replaceFirst("(?m)^breaker\\.open\\.for=.*$", "breaker.open.for=1s")
            + "\nspam.levels." + SPAM_LOVER + "=- - off\n";
        default -> content;
    }));
    private static MaildeckInstance server;

    @BeforeAll
    static void server() {
        server = maildeck.instance();
    }

    private static List<String> send(String queueId, String recipient, String message) throws IOException {
        try (MilterClient postfix = MilterClient.connect(server.port("milter"))) {
            postfix.negotiate();
            List<MilterPacket> replies = postfix.message(queueId, "sender@elsewhere.example", List.of(recipient), message.getBytes(ISO_8859_1));
            postfix.quit();
            return replies.stream().map(MilterClient::describe).toList();
        }
    }

    private static String message(String subject, String moreHeaders, String body) {
        return "From: sender@elsewhere.example\r\nTo: " + RECIPIENT + "\r\nSubject: " + subject + "\r\n"
            + "Date: Sun, 06 Dec 2026 12:00:00 +0000\r\n" + moreHeaders
            + "Message-ID: <" + UUID.randomUUID() + "@elsewhere.example>\r\n\r\n" + body + "\r\n";
    }

    private static String queueId() {
        return "4M" + UUID.randomUUID().toString().replace("-", "").substring(0, 10).toUpperCase();
    }

    @Test
    void negotiationAnswersVersion6() throws IOException {
        try (MilterClient postfix = MilterClient.connect(server.port("milter"))) {
            assertThat(postfix.negotiate()[0]).isEqualTo(6);
        }
    }

    @Test
    void cleanMailIsAcceptedWithVirusScannedAndForgedHeadersRemoved() throws Exception {
        String id = queueId();

        List<String> replies = send(id, RECIPIENT, message("clean " + id, "X-Spam-Flag: YES\r\nX-Virus-Scanned: forged\r\n", "Hello Bob."));

        assertThat(replies.subList(0, 2)).containsExactly("'m' 1 X-Spam-Flag: ", "'m' 1 X-Virus-Scanned: ");
        assertThat(replies).anyMatch(reply -> reply.startsWith("'h' X-Virus-Scanned: Maildeck (ClamAV "))
            .noneMatch(reply -> reply.startsWith("'h' X-Spam-Flag"))
            .last().isEqualTo("'c'");
        server.awaitMailLog(Pattern.compile(Pattern.quote(id) + ": milter-accept: END-OF-MESSAGE from client\\.example\\[192\\.0\\.2\\.7\\]: clean"), WAIT);
    }

    @Test
    void eicarIsRefusedWith554AndKeptInTheQuarantine() throws Exception {
        String id = queueId();

        List<String> replies = send(id, RECIPIENT, message("virus " + id, "", ClamdProcess.EICAR));

        assertThat(replies).containsExactly("'y' 554 5.7.0 Virus found: " + ClamdProcess.SIGNATURE);
        String line = server.awaitMailLog(Pattern.compile(Pattern.quote(id) + ": milter-reject: END-OF-MESSAGE from \\S+: 554 5\\.7\\.0 Virus found: "), WAIT);
        String quarantined = server.awaitQuarantined("virus", "virus " + id, WAIT);
        assertThat(line).contains("quarantine=" + quarantined);
    }

    @Test
    void gtubeAboveTheKillLevelIsDiscardedIntoTheQuarantineAndCountedAsKilled() throws Exception {
        String id = queueId();
        long killed = MaildeckJmx.attribute(server, CONTENT_FILTER, "SpamKilledTotal");

        List<String> replies = send(id, RECIPIENT, message("spam " + id, "", SpamdProcess.GTUBE));

        assertThat(replies).containsExactly("'d'");
        server.awaitQuarantined("spam", "spam " + id, WAIT);
        server.awaitMailLog(Pattern.compile(Pattern.quote(id) + ": milter-discard: END-OF-MESSAGE from \\S+: spam: score="), WAIT);
        assertThat(MaildeckJmx.attribute(server, CONTENT_FILTER, "SpamKilledTotal")).isEqualTo(killed + 1);
    }

    @Test
    void gtubeForARecipientWithoutKillLevelIsTaggedAndItsSubjectMarked() throws Exception {
        String id = queueId();

        List<String> replies = send(id, SPAM_LOVER, message("tagged " + id, "", SpamdProcess.GTUBE));

        assertThat(replies).contains("'h' X-Spam-Flag: YES", "'m' 1 Subject: ***SPAM*** tagged " + id, "'c'");
        assertThat(replies).anyMatch(reply -> reply.startsWith("'h' X-Spam-Status: Yes, score="));
    }

    @Test
    void bannedAttachmentIsDiscardedPerItsDestiny() throws Exception {
        String id = queueId();
        String boundary = "b-" + UUID.randomUUID();
        String message = message("banned " + id, "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"" + boundary + "\"\r\n",
            "--" + boundary + "\r\nContent-Type: text/plain\r\n\r\nrun it\r\n"
            + "--" + boundary + "\r\nContent-Type: application/octet-stream\r\n"
            + "Content-Disposition: attachment; filename=\"setup.exe\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            + Base64.getMimeEncoder().encodeToString("MZ harmless".getBytes(ISO_8859_1)) + "\r\n--" + boundary + "--");

        List<String> replies = send(id, RECIPIENT, message);

        assertThat(replies).containsExactly("'d'");
        server.awaitQuarantined("banned", "banned " + id, WAIT);
        server.awaitMailLog(Pattern.compile(Pattern.quote(id) + ": milter-discard: END-OF-MESSAGE from \\S+: banned: setup\\.exe: name matches \\*\\.exe"), WAIT);
    }

    @Test
    void scannerDownGivesATemporaryFailure() throws Exception {
        String id = queueId();
        server.clamd().stop();
        try {
            List<String> replies = send(id, RECIPIENT, message("clamd down " + id, "", "later"));

            assertThat(replies).containsExactly("'y' 451 4.7.1 Temporary failure: content scanner unavailable, try again later");
            server.awaitMailLog(Pattern.compile(Pattern.quote(id) + ": milter-tempfail: END-OF-MESSAGE from \\S+: 451 4\\.7\\.1"), WAIT);
        } finally {
            server.clamd().restart();
        }
    }

    @Test
    void scansAreCountedInTheContentFilterMBean() throws Exception {
        long before = MaildeckJmx.attribute(server, CONTENT_FILTER, "MessagesScannedTotal");

        send(queueId(), RECIPIENT, message("counted", "", "count me"));

        assertThat(MaildeckJmx.attribute(server, CONTENT_FILTER, "MessagesScannedTotal")).isEqualTo(before + 1);
    }

    @Test
    void brokenPacketClosesItsConnectionAndTheListenerServesTheNext() throws Exception {
        try (MilterClient hostile = MilterClient.connect(server.port("milter"))) {
            hostile.sendRaw(new byte[] {0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 'B'});
            assertThat(hostile.closedByFilter(Duration.ofSeconds(5))).isTrue();
        }
        server.awaitLog("milter: closing connection from /127.0.0.1:", WAIT);

        assertThat(send(queueId(), RECIPIENT, message("after the broken one", "", "fine"))).last().isEqualTo("'c'");
    }
}
