package org.maildeck.assembly.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Mail the virus scanner did not look at (larger than clamd takes) is never delivered: it meets
 * the shipped "unchecked" destiny, quarantined and bounced. The scanner's limit is lowered to
 * 1 MB for the test, so a 2 MB message shows what a 30 MB one does with the shipped 25 MB.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class UnscannableMailIT {

    private static final String DOMAIN = "size.maildeck.test";
    private static final String USER = "alice@" + DOMAIN;
    /** A local sender, so that non-delivery notices can be read in its mailbox. */
    private static final String SENDER = "sender@" + DOMAIN;
    private static final String PASSWORD = "Size-Pa55word";
    private static final Duration WAIT = Duration.ofSeconds(90);

    /** Of its own: a clamd stream limit of 1 MB, a configuration no other class asks for. */
    @RegisterExtension
    static final TestServer maildeck = TestServer.own((fileName, content) -> fileName.equals("contentfilter.properties")
        ? content.replaceFirst("(?m)^clamd\\.stream\\.max\\.length=.*$", "clamd.stream.max.length=1M")
        : content);
    private static MaildeckInstance server;

    @BeforeAll
    static void setUp() {
        server = maildeck.instance();
        maildeck.domain(DOMAIN).webAdmin().addUser(USER, PASSWORD).addUser(SENDER, PASSWORD);
    }

    @Test
    void mailLargerThanTheVirusScannerTakesIsQuarantinedAndTheSenderTold() throws Exception {
        String subject = "too large to scan " + UUID.randomUUID();

        send(SENDER, subject, 2 * 1024 * 1024);

        String notice = MaildirOnDisk.awaitMessageContaining(server.maildir(SENDER), WAIT, "Subject: " + subject).orElseThrow();
        String id = server.awaitQuarantined("unchecked", subject, WAIT);
        assertThat(notice).contains("Final-Recipient: rfc822; " + USER, "Action: failed", "Status: 5.7.0",
            "Diagnostic-Code: smtp; 554 5.7.0 Message could not be scanned for viruses: larger than clamd's StreamMaxLength (1048576 bytes)",
            "kept in quarantine as " + id);
        server.awaitLog("to=<" + USER + ">, relay=content-filter, status=bounced (unchecked: larger than clamd's StreamMaxLength (1048576 bytes)), quarantine=" + id, WAIT);
        assertThat(MaildirOnDisk.awaitMessageContaining(server.maildir(USER), Duration.ofSeconds(2), subject)).as("not delivered").isEmpty();
    }

    @Test
    void mailFromTheNullSenderTooLargeToScanIsQuarantinedWithoutANotice() throws Exception {
        String subject = "too large from <> " + UUID.randomUUID();

        send("", subject, 2 * 1024 * 1024);

        String id = server.awaitQuarantined("unchecked", subject, WAIT);
        server.awaitLog("status=bounced (unchecked: larger than clamd's StreamMaxLength (1048576 bytes)), quarantine=" + id, WAIT);
        assertThat(MaildirOnDisk.awaitMessageContaining(server.maildir(USER), Duration.ofSeconds(2), subject)).as("not delivered").isEmpty();
    }

    /** The admin's decision: the size check that caught it is not applied again, and the header says it was not scanned. */
    @Test
    void aReleasedMessageIsDeliveredMarkedUnchecked() throws Exception {
        String subject = "released though too large " + UUID.randomUUID();
        send(SENDER, subject, 2 * 1024 * 1024);
        String id = server.awaitQuarantined("unchecked", subject, WAIT);

        MaildeckInstance.Result release = server.maildeck("quarantine", "release", id);

        assertThat(release.exitCode()).as(release.toString()).isZero();
        String delivered = MaildirOnDisk.awaitMessageContaining(server.maildir(USER), WAIT, subject).orElseThrow();
        assertThat(delivered).contains("X-Quarantine-ID: " + id,
            "X-Virus-Scanned: unchecked (larger than clamd's StreamMaxLength (1048576 bytes))");
    }

    @Test
    void mailTheVirusScannerTakesIsDeliveredScanned() throws Exception {
        String subject = "small enough " + UUID.randomUUID();

        send(SENDER, subject, 512 * 1024);

        String delivered = MaildirOnDisk.awaitMessageContaining(server.maildir(USER), WAIT, subject).orElseThrow();
        assertThat(delivered).containsPattern("(?m)^X-Virus-Scanned: Maildeck \\(ClamAV \\d+\\.\\d+\\.\\d+\\)\r?$");
    }

    /** A plain-text message of about {@code bytes} bytes. */
    private static void send(String sender, String subject, int bytes) throws IOException {
        StringBuilder message = new StringBuilder("From: " + SENDER + "\r\nTo: " + USER + "\r\nSubject: " + subject + "\r\n\r\n");
        String line = "The quick brown fox jumps over the lazy dog, again and again and again.\r\n";
        while (message.length() < bytes) {
            message.append(line);
        }
        SmtpClient.deliver(server.port("smtp"), sender, List.of(USER), message.toString().getBytes(ISO_8859_1));
    }
}
