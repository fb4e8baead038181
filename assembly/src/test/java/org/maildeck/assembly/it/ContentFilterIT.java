package org.maildeck.assembly.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.maildeck.antivirus.ClamdProcess;

/**
 * Virus scanning in the pipeline against the instance's real clamd (its signature database
 * matches EICAR): clean mail is delivered with {@code X-Virus-Scanned}, infected mail in any
 * form is kept out of the mailbox, and mail that could not be scanned waits until clamd is back
 * and is then delivered exactly once. The retry delay and the circuit breaker's open time are
 * shortened to seconds for the test.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ContentFilterIT {

    private static final String DOMAIN = "scan.maildeck.test";
    private static final String USER = "alice@" + DOMAIN;
    /* Mail put back for a later scan waits for the queue's next poll, up to a minute when loaded. */
    private static final Duration WAIT = Duration.ofSeconds(150);

    private static MaildeckInstance server;

    @BeforeAll
    static void startServer() {
        server = MaildeckInstance.create((fileName, content) -> switch (fileName) {
            case "mailetcontainer.xml" -> content.replace("<delays>1m, 2m, 4m, 8m, 15m, 30m, 1h</delays>", "<delays>2s</delays>");
            case "contentfilter.properties" -> content.replaceFirst("(?m)^breaker\\.open\\.for=.*$", "breaker.open.for=2s");
            default -> content;
        }).start();
        new WebAdmin(server).addDomain(DOMAIN).addUser(USER, "Scan-Pa55word");
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    private static String subject(String what) {
        return what + " " + UUID.randomUUID();
    }

    private static void send(String message) throws IOException {
        try (SmtpClient smtp = SmtpClient.connect(server.port("smtp"))) {
            SmtpClient.expect(smtp.command("EHLO client.test"), 250);
            SmtpClient.expect(smtp.send("sender@elsewhere.example", List.of(USER), message.getBytes(ISO_8859_1)), 250);
        }
    }

    private static String plain(String subject, String body) {
        return "From: sender@elsewhere.example\r\nTo: " + USER + "\r\nSubject: " + subject + "\r\n\r\n" + body + "\r\n";
    }

    private static String withAttachment(String subject, String fileName, String contentType, byte[] attachment) {
        String boundary = "b-" + UUID.randomUUID();
        return "From: sender@elsewhere.example\r\nTo: " + USER + "\r\nSubject: " + subject + "\r\n"
            + "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"" + boundary + "\"\r\n\r\n"
            + "--" + boundary + "\r\nContent-Type: text/plain\r\n\r\nSee the attachment.\r\n"
            + "--" + boundary + "\r\nContent-Type: " + contentType + "; name=\"" + fileName + "\"\r\n"
            + "Content-Disposition: attachment; filename=\"" + fileName + "\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            + Base64.getMimeEncoder().encodeToString(attachment) + "\r\n"
            + "--" + boundary + "--\r\n";
    }

    private static byte[] zipWithEicar() throws IOException {
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(zip)) {
            out.putNextEntry(new ZipEntry("docs/readme.txt"));
            out.write("nothing here".getBytes(ISO_8859_1));
            out.putNextEntry(new ZipEntry("docs/invoice.com"));
            out.write(ClamdProcess.EICAR.getBytes(ISO_8859_1));
        }
        return zip.toByteArray();
    }

    @Test
    void aCleanMessageIsDeliveredWithTheScannedHeader() throws Exception {
        String subject = subject("clean");

        send(plain(subject, "Nothing to worry about."));

        String delivered = MaildirOnDisk.awaitMessageContaining(server.maildir(USER), WAIT, subject).orElseThrow();
        assertThat(delivered).containsPattern("(?m)^X-Virus-Scanned: Maildeck \\(ClamAV \\d+\\.\\d+\\.\\d+\\)\r?$");
    }

    @Test
    void eicarInTheBodyIsKeptOutOfTheMailbox() throws Exception {
        assertInfectedMailIsHeldBack(subject -> plain(subject, ClamdProcess.EICAR));
    }

    @Test
    void eicarInAnAttachmentIsKeptOutOfTheMailbox() throws Exception {
        assertInfectedMailIsHeldBack(subject -> withAttachment(subject, "eicar.com", "application/octet-stream",
            ClamdProcess.EICAR.getBytes(ISO_8859_1)));
    }

    @Test
    void eicarInsideAZipAttachmentIsKeptOutOfTheMailbox() throws Exception {
        byte[] zip = zipWithEicar();
        assertInfectedMailIsHeldBack(subject -> withAttachment(subject, "invoice.zip", "application/zip", zip));
    }

    @Test
    void aBannedAttachmentIsKeptOutOfTheMailbox() throws Exception {
        assertBannedMailIsHeldBack(subject -> withAttachment(subject, "setup.exe", "application/octet-stream",
            "MZ harmless bytes".getBytes(ISO_8859_1)), "setup.exe: name matches *.exe");
    }

    @Test
    void aBannedFileInsideAZipIsKeptOutOfTheMailbox() throws Exception {
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(zip)) {
            out.putNextEntry(new ZipEntry("readme.txt"));
            out.write("open the tool".getBytes(ISO_8859_1));
            out.putNextEntry(new ZipEntry("tools/update.exe"));
            out.write("MZ harmless bytes".getBytes(ISO_8859_1));
        }
        assertBannedMailIsHeldBack(subject -> withAttachment(subject, "tools.zip", "application/zip", zip.toByteArray()),
            "tools.zip/tools/update.exe: name matches *.exe");
    }

    @Test
    void mailArrivingWhileClamdIsDownWaitsAndIsDeliveredOnceWhenItIsBack() throws Exception {
        String subject = subject("while clamd is down");
        server.clamd().stop();
        try {
            send(plain(subject, "Scan me later."));

            awaitLog("deferred (clamav: ");
            assertThat(MaildirOnDisk.awaitMessageContaining(server.maildir(USER), Duration.ofSeconds(3), subject))
                .as("not delivered unscanned").isEmpty();
        } finally {
            server.clamd().restart();
        }

        String delivered = MaildirOnDisk.awaitMessageContaining(server.maildir(USER), WAIT, subject).orElseThrow();
        assertThat(delivered).contains("X-Virus-Scanned: Maildeck (ClamAV ");
        Thread.sleep(3000);
        assertThat(MaildirOnDisk.messages(server.maildir(USER)).stream()
            .filter(file -> new String(MaildirOnDisk.read(file), ISO_8859_1).contains(subject)))
            .as("delivered exactly once").hasSize(1);
    }

    private interface MessageWithSubject {
        String build(String subject) throws IOException;
    }

    private static void assertInfectedMailIsHeldBack(MessageWithSubject message) throws Exception {
        String subject = subject("infected");

        send(message.build(subject));

        Path virusRepository = server.data().resolve("mail/virus");
        assertThat(awaitFileMentioning(virusRepository, subject)).as("kept in the virus repository").isTrue();
        assertThat(server.serverLog()).contains("scan: clamav=infected (" + ClamdProcess.SIGNATURE + ")");
        assertThat(MaildirOnDisk.awaitMessageContaining(server.maildir(USER), Duration.ofSeconds(2), subject))
            .as("not delivered").isEmpty();
    }

    private static void assertBannedMailIsHeldBack(MessageWithSubject message, String reason) throws Exception {
        String subject = subject("banned");

        send(message.build(subject));

        assertThat(awaitFileMentioning(server.data().resolve("mail/banned"), subject)).as("kept in the banned repository").isTrue();
        assertThat(server.serverLog()).contains("banned=banned (" + reason + ")");
        assertThat(MaildirOnDisk.awaitMessageContaining(server.maildir(USER), Duration.ofSeconds(2), subject))
            .as("not delivered").isEmpty();
    }

    private static boolean awaitFileMentioning(Path directory, String text) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        do {
            if (Files.isDirectory(directory)) {
                try (Stream<Path> files = Files.walk(directory)) {
                    if (files.filter(Files::isRegularFile).anyMatch(file -> readable(file).contains(text))) {
                        return true;
                    }
                }
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        return false;
    }

    private static String readable(Path file) {
        try {
            return new String(Files.readAllBytes(file), ISO_8859_1);
        } catch (IOException e) {
            return "";
        }
    }

    private static void awaitLog(String text) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!server.serverLog().contains(text)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no log line with: " + text);
            }
            Thread.sleep(200);
        }
    }
}
