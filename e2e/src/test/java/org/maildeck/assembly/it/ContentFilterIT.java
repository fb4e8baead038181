package org.maildeck.assembly.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.maildeck.antivirus.ClamdProcess;

/**
 * Content filtering in the pipeline against the instance's real clamd (its signature database
 * matches EICAR): clean mail is delivered with {@code X-Virus-Scanned}; infected mail in any form
 * meets the destiny configured for its recipient (the test gives each destiny a recipient of its
 * own, as an admin would with per-recipient matchers); banned attachments meet the shipped
 * destiny (bounce); quarantined mail can be listed, shown, released and deleted with
 * {@code maildeck quarantine} and survives a restart; mail that could not be scanned waits until
 * clamd is back and is then delivered exactly once. The retry delay and the circuit breaker's
 * open time are shortened to seconds for the test.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ContentFilterIT {

    private static final String DOMAIN = "scan.maildeck.test";
    /** Virus mail for this one meets the shipped destiny, discard. */
    private static final String USER = "alice@" + DOMAIN;
    private static final String PASS_USER = "passes@" + DOMAIN;
    private static final String BOUNCE_USER = "bounces@" + DOMAIN;
    private static final String REJECT_USER = "rejects@" + DOMAIN;
    /** A local sender, so that non-delivery notices can be read in its mailbox. */
    private static final String SENDER = "sender@" + DOMAIN;
    /** Told about every virus caught for BOUNCE_USER (Destiny's notify). */
    private static final String VIRUS_ADMIN = "virusadmin@" + DOMAIN;
    private static final String PASSWORD = "Scan-Pa55word";
    /* Mail put back for a later scan waits for the queue's next poll, up to a minute when loaded. */
    private static final Duration WAIT = Duration.ofSeconds(150);
    private static final String EICAR_REPORTED = ClamdProcess.SIGNATURE;

    private static MaildeckInstance server;

    @BeforeAll
    static void startServer() {
        server = MaildeckInstance.create((fileName, content) -> switch (fileName) {
            case "mailetcontainer.xml" -> perRecipientVirusDestinies(
                content.replace("<delays>1m, 2m, 4m, 8m, 15m, 30m, 1h</delays>", "<delays>2s</delays>"));
            case "contentfilter.properties" -> content.replaceFirst("(?m)^breaker\\.open\\.for=.*$", "breaker.open.for=2s");
            default -> content;
        }).start();
        WebAdmin webAdmin = new WebAdmin(server).addDomain(DOMAIN);
        for (String user : List.of(USER, PASS_USER, BOUNCE_USER, REJECT_USER, SENDER, VIRUS_ADMIN)) {
            webAdmin.addUser(user, PASSWORD);
        }
    }

    private static String perRecipientVirusDestinies(String mailetContainer) {
        String virusProcessor = "<processor state=\"virus\" enableJmx=\"true\">";
        assertThat(mailetContainer).contains(virusProcessor);
        return mailetContainer.replace(virusProcessor, virusProcessor
            + destinyFor(PASS_USER, "pass", "") + destinyFor(BOUNCE_USER, "bounce", "<notify>" + VIRUS_ADMIN + "</notify>")
            + destinyFor(REJECT_USER, "reject", ""));
    }

    private static String destinyFor(String recipient, String destiny, String more) {
        return "<mailet match=\"RecipientIs=" + recipient + "\" class=\"org.maildeck.mailets.Destiny\">"
            + "<category>virus</category><destiny>" + destiny + "</destiny>" + more + "</mailet>";
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

    private static void send(String sender, String recipient, String message) throws IOException {
        try (SmtpClient smtp = SmtpClient.connect(server.port("smtp"))) {
            SmtpClient.expect(smtp.command("EHLO client.test"), 250);
            SmtpClient.expect(smtp.send(sender, List.of(recipient), message.getBytes(ISO_8859_1)), 250);
        }
    }

    private static String plain(String recipient, String subject, String body) {
        return "From: " + SENDER + "\r\nTo: " + recipient + "\r\nSubject: " + subject + "\r\n\r\n" + body + "\r\n";
    }

    private static String withAttachment(String recipient, String subject, String fileName, String contentType, byte[] attachment) {
        String boundary = "b-" + UUID.randomUUID();
        return "From: " + SENDER + "\r\nTo: " + recipient + "\r\nSubject: " + subject + "\r\n"
            + "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"" + boundary + "\"\r\n\r\n"
            + "--" + boundary + "\r\nContent-Type: text/plain\r\n\r\nSee the attachment.\r\n"
            + "--" + boundary + "\r\nContent-Type: " + contentType + "; name=\"" + fileName + "\"\r\n"
            + "Content-Disposition: attachment; filename=\"" + fileName + "\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            + Base64.getMimeEncoder().encodeToString(attachment) + "\r\n"
            + "--" + boundary + "--\r\n";
    }

    private static byte[] zip(String name, byte[] content) throws IOException {
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(zip)) {
            out.putNextEntry(new ZipEntry("docs/readme.txt"));
            out.write("nothing here".getBytes(ISO_8859_1));
            out.putNextEntry(new ZipEntry(name));
            out.write(content);
        }
        return zip.toByteArray();
    }

    /** EICAR in each form the issue names: the body, an attachment, a file inside a zip attachment. */
    private interface InfectedMessage {
        String build(String recipient, String subject) throws IOException;
    }

    static Stream<Arguments> infectedForms() {
        byte[] eicar = ClamdProcess.EICAR.getBytes(ISO_8859_1);
        return Stream.of(
            Arguments.of("in the body", (InfectedMessage) (recipient, subject) -> plain(recipient, subject, ClamdProcess.EICAR)),
            Arguments.of("in an attachment", (InfectedMessage) (recipient, subject) ->
                withAttachment(recipient, subject, "eicar.com", "application/octet-stream", eicar)),
            Arguments.of("inside a zip", (InfectedMessage) (recipient, subject) ->
                withAttachment(recipient, subject, "invoice.zip", "application/zip", zip("docs/invoice.com", eicar))));
    }

    @Test
    void aCleanMessageIsDeliveredWithTheScannedHeader() throws Exception {
        String subject = subject("clean");

        send(SENDER, USER, plain(USER, subject, "Nothing to worry about."));

        String delivered = MaildirOnDisk.awaitMessageContaining(server.maildir(USER), WAIT, subject).orElseThrow();
        assertThat(delivered).containsPattern("(?m)^X-Virus-Scanned: Maildeck \\(ClamAV \\d+\\.\\d+\\.\\d+\\)\r?$");
        assertThat(delivered).doesNotContain("X-Maildeck-Alert", "X-Quarantine-ID");
    }

    /** Hostile or broken MIME is the sender's doing: it must not pass for a scanner outage that defers mail. */
    @Test
    void mailWhoseMimeCannotBeDecodedIsDeliveredAtOnceUncheckedForBannedFilesButVirusScanned() throws Exception {
        String subject = subject("undecodable MIME");
        String message = "From: " + SENDER + "\r\nTo: " + USER + "\r\nSubject: " + subject + "\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: multipart/mixed; boundary=\"never-used\"\r\n\r\nNo boundary line follows.\r\n";

        send(SENDER, USER, message);

        String delivered = MaildirOnDisk.awaitMessageContaining(server.maildir(USER), WAIT, subject).orElseThrow();
        assertThat(delivered).containsPattern("(?m)^X-Virus-Scanned: Maildeck \\(ClamAV \\d+\\.\\d+\\.\\d+\\)\r?$");
        assertThat(server.awaitMailLog(Pattern.compile("scan: .*banned=unchecked \\(MIME structure not decodable: "), WAIT))
            .contains("clamav=clean");
    }

    @ParameterizedTest(name = "EICAR {0}")
    @MethodSource("infectedForms")
    void infectedMailIsDiscardedIntoTheQuarantine(String form, InfectedMessage message) throws Exception {
        String subject = subject("discard " + form);

        send(SENDER, USER, message.build(USER, subject));

        String id = server.awaitQuarantined("virus", subject, WAIT);
        server.awaitLog("to=<" + USER + ">, relay=content-filter, status=discarded (virus: " + EICAR_REPORTED + "), quarantine=" + id, WAIT);
        assertThat(server.serverLog()).contains("scan: clamav=infected (" + EICAR_REPORTED + ")");
        assertThat(MaildirOnDisk.awaitMessageContaining(server.maildir(USER), Duration.ofSeconds(2), subject)).as("not delivered").isEmpty();
        assertThat(MaildirOnDisk.awaitMessageContaining(server.maildir(SENDER), Duration.ofSeconds(1), subject)).as("sender not told").isEmpty();
    }

    @ParameterizedTest(name = "EICAR {0}")
    @MethodSource("infectedForms")
    void infectedMailForAPassRecipientIsDeliveredWithAnAlert(String form, InfectedMessage message) throws Exception {
        String subject = subject("pass " + form);

        send(SENDER, PASS_USER, message.build(PASS_USER, subject));

        String delivered = MaildirOnDisk.awaitMessageContaining(server.maildir(PASS_USER), WAIT, subject).orElseThrow();
        assertThat(delivered).contains("X-Maildeck-Alert: INFECTED, message contains virus: " + EICAR_REPORTED);
        assertThat(delivered).contains("X-Virus-Scanned: Maildeck (ClamAV ");
        assertThat(delivered).as("pass keeps no copy by default").doesNotContain("X-Quarantine-ID");
    }

    @ParameterizedTest(name = "EICAR {0}")
    @MethodSource("infectedForms")
    void infectedMailForABounceRecipientIsQuarantinedAndTheSenderToldWithoutTheVirus(String form, InfectedMessage message) throws Exception {
        assertBouncedWithNotice(BOUNCE_USER, message, form, "554 5.7.0 Virus found: " + EICAR_REPORTED);
    }

    @ParameterizedTest(name = "EICAR {0}")
    @MethodSource("infectedForms")
    void rejectAfterTheQueueBehavesAsBounce(String form, InfectedMessage message) throws Exception {
        assertBouncedWithNotice(REJECT_USER, message, form, "554 5.7.0 Virus found: " + EICAR_REPORTED);
    }

    private static void assertBouncedWithNotice(String recipient, InfectedMessage message, String form, String reply) throws Exception {
        String subject = subject("bounce " + form);

        send(SENDER, recipient, message.build(recipient, subject));

        String notice = MaildirOnDisk.awaitMessageContaining(server.maildir(SENDER), WAIT, "Subject: " + subject).orElseThrow();
        String id = server.awaitQuarantined("virus", subject, WAIT);
        assertNonDeliveryNotice(notice, recipient, reply, id);
        assertThat(notice).doesNotContain(ClamdProcess.EICAR).doesNotContain(Base64.getMimeEncoder().encodeToString(
            ClamdProcess.EICAR.getBytes(ISO_8859_1)).substring(0, 40));
        assertThat(MaildirOnDisk.awaitMessageContaining(server.maildir(recipient), Duration.ofSeconds(1), subject)).as("not delivered").isEmpty();
    }

    private static void assertNonDeliveryNotice(String notice, String recipient, String reply, String quarantineId) {
        assertThat(notice).containsPattern("(?m)^Return-Path: <>\r?$");
        assertThat(notice).contains("Subject: Undelivered Mail Returned to Sender");
        assertThat(notice).containsPattern("Content-Type: multipart/report;\\s+(\\S+;\\s+)?report-type=delivery-status");
        assertThat(notice).contains("Final-Recipient: rfc822; " + recipient);
        assertThat(notice).contains("Action: failed");
        assertThat(notice).contains("Status: 5.7.0");
        assertThat(notice).contains("Diagnostic-Code: smtp; " + reply);
        assertThat(notice).contains("Content-Type: text/rfc822-headers");
        assertThat(notice).contains("kept in quarantine as " + quarantineId);
    }

    @Test
    void theAdminNamedInNotifyIsToldAboutCaughtMail() throws Exception {
        String subject = subject("notify");

        send(SENDER, BOUNCE_USER, plain(BOUNCE_USER, subject, ClamdProcess.EICAR));

        String id = server.awaitQuarantined("virus", subject, WAIT);
        String notice = MaildirOnDisk.awaitMessageContaining(server.maildir(VIRUS_ADMIN), WAIT, "Quarantine: " + id).orElseThrow();
        assertThat(notice).contains("Subject: [Maildeck] virus caught: " + EICAR_REPORTED, "Destiny:    bounce",
            "Sender:     <" + SENDER + ">", "Recipients: <" + BOUNCE_USER + ">");
        assertThat(notice).doesNotContain(ClamdProcess.EICAR);
    }

    @Test
    void aBannedAttachmentIsQuarantinedAndTheSenderTold() throws Exception {
        assertBannedMailIsBounced(subject -> withAttachment(USER, subject, "setup.exe", "application/octet-stream",
            "MZ harmless bytes".getBytes(ISO_8859_1)), "setup.exe: name matches *.exe");
    }

    @Test
    void aBannedFileInsideAZipIsQuarantinedAndTheSenderTold() throws Exception {
        byte[] zip = zip("tools/update.exe", "MZ harmless bytes".getBytes(ISO_8859_1));
        assertBannedMailIsBounced(subject -> withAttachment(USER, subject, "tools.zip", "application/zip", zip),
            "tools.zip/tools/update.exe: name matches *.exe");
    }

    private interface MessageWithSubject {
        String build(String subject) throws IOException;
    }

    private static void assertBannedMailIsBounced(MessageWithSubject message, String reason) throws Exception {
        String subject = subject("banned");

        send(SENDER, USER, message.build(subject));

        String notice = MaildirOnDisk.awaitMessageContaining(server.maildir(SENDER), WAIT, "Subject: " + subject).orElseThrow();
        String id = server.awaitQuarantined("banned", subject, WAIT);
        assertNonDeliveryNotice(notice, USER, "554 5.7.0 Banned attachment: " + reason, id);
        assertThat(server.serverLog()).contains("banned=banned (" + reason + ")");
        assertThat(MaildirOnDisk.awaitMessageContaining(server.maildir(USER), Duration.ofSeconds(1), subject)).as("not delivered").isEmpty();
    }

    @Test
    void aBannedAttachmentFromTheNullSenderIsQuarantinedWithoutANotice() throws Exception {
        String subject = subject("banned from <>");

        send("", USER, withAttachment(USER, subject, "setup.exe", "application/octet-stream", "MZ".getBytes(ISO_8859_1)));

        String id = server.awaitQuarantined("banned", subject, WAIT);
        server.awaitLog("status=bounced (banned: setup.exe: name matches *.exe), quarantine=" + id, WAIT);
        server.awaitLog("no notice to sender <>", WAIT);
    }

    @Test
    void aReleasedMessageReachesItsRecipientAndLeavesTheQuarantine() throws Exception {
        String subject = subject("release");
        send(SENDER, USER, plain(USER, subject, ClamdProcess.EICAR));
        String id = server.awaitQuarantined("virus", subject, WAIT);
        assertThat(success(server.maildeck("quarantine", "list"))).contains(id + " ").contains("<" + SENDER + "> " + USER + " (" + EICAR_REPORTED + ")");
        assertThat(success(server.maildeck("quarantine", "show", id))).contains("reason: " + EICAR_REPORTED, "recipient: <" + USER + ">", "Subject: " + subject);

        assertThat(success(server.maildeck("quarantine", "release", id))).startsWith(id + ": released, queue id ");

        String delivered = MaildirOnDisk.awaitMessageContaining(server.maildir(USER), WAIT, subject).orElseThrow();
        assertThat(delivered).contains("X-Quarantine-ID: " + id, ClamdProcess.EICAR);
        assertThat(success(server.maildeck("quarantine", "list"))).doesNotContain(id);
        assertThat(server.serverLog()).containsPattern(id + ": released from quarantine \\(virus: " + EICAR_REPORTED + "\\) by \\S+");
    }

    @Test
    void aDeletedEntryIsGoneForGood() throws Exception {
        String subject = subject("delete");
        send(SENDER, USER, plain(USER, subject, ClamdProcess.EICAR));
        String id = server.awaitQuarantined("virus", subject, WAIT);

        assertThat(success(server.maildeck("quarantine", "delete", id))).isEqualTo(id + ": deleted\n");

        assertThat(server.data().resolve("quarantine/virus/" + id)).doesNotExist();
        MaildeckInstance.Result again = server.maildeck("quarantine", "delete", id);
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.stderr()).contains("no quarantine entry '" + id + "'");
    }

    @Test
    void somethingThatIsNotAQuarantineIdIsRefusedBeforeItReachesTheServer() {
        MaildeckInstance.Result result = server.maildeck("quarantine", "show", "../../etc/passwd");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).contains("'../../etc/passwd' is not a quarantine id");
    }

    @Test
    void theQuarantineSurvivesARestart() throws Exception {
        String subject = subject("restart");
        send(SENDER, USER, plain(USER, subject, ClamdProcess.EICAR));
        String id = server.awaitQuarantined("virus", subject, WAIT);

        server.stop();
        server.start();

        assertThat(success(server.maildeck("quarantine", "list"))).contains(id + " ");
        assertThat(success(server.maildeck("quarantine", "show", id))).contains("Subject: " + subject);
    }

    @Test
    void mailArrivingWhileClamdIsDownWaitsAndIsDeliveredOnceWhenItIsBack() throws Exception {
        String subject = subject("while clamd is down");
        String messageId = UUID.randomUUID() + "@client.test";
        server.clamd().stop();
        String id;
        try {
            send(SENDER, USER, "Message-ID: <" + messageId + ">\r\n" + plain(USER, subject, "Scan me later."));

            String received = server.awaitMailLog(Pattern.compile(Pattern.quote("message-id=<" + messageId + ">")), WAIT);
            id = received.substring(0, received.indexOf(": "));
            server.awaitMailLog(Pattern.compile("^" + Pattern.quote(id + ": deferred (clamav: ")), WAIT);
            assertThat(MaildirOnDisk.awaitMessageContaining(server.maildir(USER), Duration.ofSeconds(3), subject))
                .as("not delivered unscanned").isEmpty();
        } finally {
            server.clamd().restart();
        }

        String delivered = MaildirOnDisk.awaitMessageContaining(server.maildir(USER), WAIT, subject).orElseThrow();
        assertThat(delivered).contains("X-Virus-Scanned: Maildeck (ClamAV ");
        // the file is in new/ before the delivery line is written; a second copy would wait in the spool
        server.awaitMailLog(Pattern.compile("^" + Pattern.quote(id + ": to=<" + USER + ">, ") + ".*status=delivered$"), WAIT);
        new WebAdmin(server).awaitEmptyQueue("spool", WAIT);
        assertThat(server.mailLogLines()).filteredOn(line -> line.startsWith(id + ": to=<" + USER + ">") && line.contains("status=delivered"))
            .as("delivery log lines").hasSize(1);
        assertThat(MaildirOnDisk.messages(server.maildir(USER)).stream()
            .filter(file -> new String(MaildirOnDisk.read(file), ISO_8859_1).contains(subject)))
            .as("delivered exactly once").hasSize(1);
    }

    private static String success(MaildeckInstance.Result result) {
        assertThat(result.exitCode()).as(result.toString()).isZero();
        return result.stdout();
    }
}
