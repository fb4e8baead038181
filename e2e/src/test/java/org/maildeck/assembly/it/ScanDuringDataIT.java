package org.maildeck.assembly.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
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
 * The SMTP listener on port 25 with {@code ScanDuringData} (reject virus, banned and spam): the
 * verdict is the answer to the final dot, against the instance's real clamd and spamd.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class ScanDuringDataIT {

    private static final String DOMAIN = "insession.maildeck.test";
    private static final String USER = "carol@" + DOMAIN;
    private static final String SCAN_HANDLER = "<handler class=\"org.maildeck.mailets.smtpd.ScanDuringData\">"
        + "<reject>virus, banned, spam</reject><onScannerFailure>tempfail</onScannerFailure></handler>";

    private static MaildeckInstance server;

    @BeforeAll
    static void startServer() {
        server = MaildeckInstance.createWithSpamd((fileName, content) -> switch (fileName) {
            case "smtpserver.xml" -> content.replaceFirst("<handler class=\"org.maildeck.mailets.smtpd.QuotaRcptHook\"/>",
                "<handler class=\"org.maildeck.mailets.smtpd.QuotaRcptHook\"/>" + Matcher.quoteReplacement(SCAN_HANDLER));
            // the test that stops clamd must not leave the circuit open for the others
            case "contentfilter.properties" -> content.replaceFirst("(?m)^breaker\\.open\\.for=.*$", "breaker.open.for=1s");
            default -> content;
        }).start();
        new WebAdmin(server).addDomain(DOMAIN).addUser(USER, "InSession-Pa55");
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    private static SmtpClient.Reply send(String message) throws IOException {
        try (SmtpClient smtp = SmtpClient.connect(server.port("smtp"))) {
            SmtpClient.expect(smtp.command("EHLO client.test"), 250);
            return smtp.send("sender@elsewhere.example", List.of(USER), message.getBytes(ISO_8859_1));
        }
    }

    private static String message(String subject, String body) {
        return "From: sender@elsewhere.example\r\nTo: " + USER + "\r\nSubject: " + subject + "\r\n\r\n" + body + "\r\n";
    }

    @Test
    void eicarIsRefusedAtTheEndOfData() throws Exception {
        String subject = "in-session virus " + UUID.randomUUID();

        SmtpClient.Reply reply = send(message(subject, ClamdProcess.EICAR));

        assertThat(reply.toString()).contains("554 5.7.0 Virus found: " + ClamdProcess.SIGNATURE);
        assertThat(server.serverLog()).containsPattern("NOQUEUE: reject: END-OF-MESSAGE from \\S+: 554 5.7.0 Virus found: "
            + Pattern.quote(ClamdProcess.SIGNATURE) + "; from=<sender@elsewhere.example> to=<" + USER + ">");
        assertThat(MaildirOnDisk.awaitMessageContaining(server.maildir(USER), Duration.ofSeconds(3), subject)).isEmpty();
        assertThat(server.data().resolve("quarantine/virus")).as("the sender's server keeps it, not us").satisfiesAnyOf(
            dir -> assertThat(dir).doesNotExist(), dir -> assertThat(dir).isEmptyDirectory());
    }

    @Test
    void aBannedAttachmentIsRefusedAtTheEndOfData() throws Exception {
        String boundary = "b-" + UUID.randomUUID();
        String message = "From: sender@elsewhere.example\r\nTo: " + USER + "\r\nSubject: in-session banned\r\n"
            + "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"" + boundary + "\"\r\n\r\n"
            + "--" + boundary + "\r\nContent-Type: text/plain\r\n\r\nrun it\r\n"
            + "--" + boundary + "\r\nContent-Type: application/octet-stream\r\n"
            + "Content-Disposition: attachment; filename=\"setup.exe\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            + Base64.getMimeEncoder().encodeToString("MZ harmless".getBytes(ISO_8859_1)) + "\r\n--" + boundary + "--\r\n";

        SmtpClient.Reply reply = send(message);

        assertThat(reply.toString()).contains("554 5.7.0 Banned attachment: setup.exe: name matches *.exe");
    }

    @Test
    void spamAboveEveryRecipientsKillLevelIsRefusedAtTheEndOfData() throws Exception {
        String subject = "in-session spam " + UUID.randomUUID();
        SmtpClient.Reply reply;
        // from outside the trusted networks, whose mail is not scored
        try (SmtpClient smtp = SmtpClient.connectFrom("127.0.0.2", server.port("smtp"))) {
            SmtpClient.expect(smtp.command("EHLO outside.example"), 250);
            reply = smtp.send("sender@elsewhere.example", List.of(USER),
                message(subject, SpamdProcess.GTUBE).getBytes(ISO_8859_1));
        }

        assertThat(reply.toString()).contains("554 5.7.1 Spam message rejected");
        assertThat(server.serverLog()).containsPattern("NOQUEUE: reject: END-OF-MESSAGE from \\S+\\[127\\.0\\.0\\.2\\]: 554 5.7.1 Spam message rejected");
        assertThat(MaildirOnDisk.awaitMessageContaining(server.maildir(USER), Duration.ofSeconds(2), subject)).isEmpty();
    }

    @Test
    void cleanMailIsAcceptedAndNotScannedAgainAfterTheQueue() throws Exception {
        String subject = "in-session clean " + UUID.randomUUID();
        int scansBefore = scanLines();

        SmtpClient.expect(send(message(subject, "fine")), 250);

        String delivered = MaildirOnDisk.awaitMessageContaining(server.maildir(USER), Duration.ofSeconds(60), subject).orElseThrow();
        assertThat(delivered).contains("X-Virus-Scanned: Maildeck (ClamAV ");
        assertThat(scanLines() - scansBefore).as("scanned once, during DATA").isEqualTo(1);
    }

    @Test
    void aScannerThatIsDownGivesATemporaryFailure() throws Exception {
        server.clamd().stop();
        try {
            SmtpClient.Reply reply = send(message("while clamd is down " + UUID.randomUUID(), "later"));

            assertThat(reply.toString()).contains("451 4.7.1 Temporary failure: content scanner unavailable");
        } finally {
            server.clamd().restart();
        }
    }

    private static int scanLines() throws IOException {
        return (int) server.serverLog().lines().filter(line -> line.contains(": scan: clamav=")).count();
    }
}
