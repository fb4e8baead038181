package org.maildeck.assembly.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import jakarta.mail.internet.InternetHeaders;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Mail for remote domains: queued, handed to the smarthost (a receiving SMTP server of the test,
 * with a login), retried after temporary refusals with a delay notice to the sender, and bounced
 * to the sender on a permanent refusal, never to the null sender (the bounce after the last retry
 * is in {@link MxDeliveryIT}). The retry schedule is shortened to seconds for the test.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class OutboundDeliveryIT {

    private static final String DOMAIN = "outbound.maildeck.test";
    private static final String USER = "alice@" + DOMAIN;
    private static final String PASSWORD = "Outbound-Pa55";
    /*
     * A retry is due after 2 s here, but the queue notices due mail only when its consumer
     * polls again, which has been seen to take up to a minute on a loaded machine.
     */
    private static final Duration WAIT = Duration.ofSeconds(150);

    private static final String SERVER_NAME = "mx.maildeck.test";
    /** mailetcontainer.xml's postmaster here: an address on another server. */
    private static final String POSTMASTER = "admin@elsewhere.example";

    private static SmtpSink smarthost;
    private static MaildeckInstance server;

    @BeforeAll
    static void startServer() throws Exception {
        smarthost = new SmtpSink();
        server = MaildeckInstance.create((fileName, content) -> switch (fileName) {
            case "mailetcontainer.xml" -> content
                .replaceFirst("<startTLS>false</startTLS>", "<startTLS>false</startTLS><gateway>127.0.0.1</gateway><gatewayPort>"
                    + smarthost.port() + "</gatewayPort><gatewayUsername>relay-user</gatewayUsername>"
                    + "<gatewayPassword>relay-secret</gatewayPassword>")
                .replaceAll("<delayTime>[^<]*</delayTime>", "<delayTime>1 * 2 seconds</delayTime>")
                .replaceAll("<maxRetries>[^<]*</maxRetries>", "<maxRetries>1</maxRetries>")
                .replace("<postmaster>postmaster@localhost</postmaster>", "<postmaster>" + POSTMASTER + "</postmaster>");
            case "queue.properties" -> content.replaceFirst("(?m)^delay\\.warning\\.time=.*$", "delay.warning.time=1ms");
            case "jvm.properties" -> named(content);
            default -> content;
        }).start();
        new WebAdmin(server).addDomain(DOMAIN).addUser(USER, PASSWORD);
    }

    private static String named(String jvmProperties) {
        String example = "#maildeck.hostname=mail.example.com";
        assertThat(jvmProperties).as("the shipped jvm.properties").contains(example);
        return jvmProperties.replace(example, "maildeck.hostname=" + SERVER_NAME);
    }

    @AfterAll
    static void stopServer() throws Exception {
        ClassScopedResources.closeAll(server, smarthost);
    }

    private static String remoteRecipient(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8) + "@remote.example";
    }

    private static Swaks.Run submit(String recipient, String subject) throws Exception {
        return Swaks.to(server.port("submission")).from("127.0.0.2").startTls().auth("PLAIN", USER, PASSWORD)
            .envelope(USER, recipient).subject(subject).run();
    }

    @Test
    void remoteMailIsHandedToTheSmarthostWithItsLogin() throws Exception {
        String recipient = remoteRecipient("sent");

        Swaks.Run run = submit(recipient, "to the smarthost");

        assertThat(run.exitCode()).as("%s", run).isZero();
        Optional<SmtpSink.Received> received = smarthost.awaitMessageFor(recipient, WAIT);
        assertThat(received).isPresent();
        assertThat(received.get().sender()).isEqualTo(USER);
        assertThat(received.get().data()).contains("Subject: to the smarthost");
        assertThat(smarthost.logins()).contains("relay-user:relay-secret");
    }

    @Test
    void theServerGreetsWithTheNameSetInJvmProperties() throws Exception {
        try (SmtpClient smtp = SmtpClient.connectFrom("127.0.0.2", server.port("smtp"))) {
            assertThat(smtp.greeting().lines()).containsExactly("220 " + SERVER_NAME + " ESMTP Maildeck");
            assertThat(SmtpClient.expect(smtp.command("EHLO client.test"), 250).lines().get(0)).startsWith("250-" + SERVER_NAME + " ");
        }
    }

    @Test
    void theNextHopHearsTheServersNameInEhloAndReceived() throws Exception {
        String recipient = remoteRecipient("named");

        submit(recipient, "from a named server");

        SmtpSink.Received received = smarthost.awaitMessageFor(recipient, WAIT).orElseThrow();
        assertThat(received.helo()).isEqualTo(SERVER_NAME);
        assertThat(received.data()).containsPattern("(?m)^Received: from .*\\r\\n\\s+by " + Pattern.quote(SERVER_NAME) + " ");
    }

    @Test
    void rawEightBitHeaderBytesAreRelayedAsReceived() throws Exception {
        String recipient = remoteRecipient("eight-bit");
        byte[] subject = "Subject: Grüße aus Köln".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] from = ("From: Jürgen Müller <" + USER + ">").getBytes(ISO_8859_1);
        java.io.ByteArrayOutputStream message = new java.io.ByteArrayOutputStream();
        message.writeBytes(subject);
        message.writeBytes("\r\n".getBytes(ISO_8859_1));
        message.writeBytes(from);
        message.writeBytes(("\r\nTo: <" + recipient + ">\r\n\r\nBody.\r\n").getBytes(ISO_8859_1));

        SmtpClient.deliver(server.port("smtp"), USER, List.of(recipient), message.toByteArray());

        Optional<SmtpSink.Received> received = smarthost.awaitMessageFor(recipient, WAIT);
        assertThat(received).isPresent();
        assertThat(received.get().data()).contains(new String(subject, ISO_8859_1), new String(from, ISO_8859_1));
    }

    /**
     * Issue 17 (F): a multipart whose boundary is never used is clean mail all the same; the
     * outgoing queue and the SMTP client take it as it came, not parsed again (nor sent to the
     * error repository for failing to parse).
     */
    @Test
    void aMultipartWhoseBoundaryIsNeverUsedIsRelayedWithItsBodyAsItCame() throws Exception {
        String recipient = remoteRecipient("broken-mime");
        String body = "--ABC\r\nContent-Type: text/plain\r\n\r\nThe parts use another boundary than the header's.\r\n--ABC--\r\n";

        SmtpSink.Received received = relay(recipient, "Content-Type: multipart/mixed; boundary=\"XYZ\"", body);

        assertThat(bodyOf(received)).isEqualTo(body);
        assertThat(new WebAdmin(server).get("/mailRepositories/var%2Fmail%2Ferror/mails")).as("mails in the error repository").isEqualTo("[]");
    }

    /** A forward splits the mail and puts the copy for the remote target back into the spool, after the scan changed its headers. */
    @Test
    void aMultipartWhoseBoundaryIsNeverUsedIsForwardedToARemoteAddressWithItsBodyAsItCame() throws Exception {
        String local = "forwarded-" + UUID.randomUUID().toString().substring(0, 8) + "@" + DOMAIN;
        String remote = remoteRecipient("forward-target");
        new WebAdmin(server).addUser(local, PASSWORD).addForward(local, remote);
        String body = "--ABC\r\nContent-Type: text/plain\r\n\r\nForwarded with another boundary than the header's.\r\n--ABC--\r\n";

        SmtpSink.Received received = relay(local, remote, "Content-Type: multipart/mixed; boundary=\"XYZ\"", body);

        assertThat(bodyOf(received)).isEqualTo(body);
        assertThat(new WebAdmin(server).get("/mailRepositories/var%2Fmail%2Ferror/mails")).as("mails in the error repository").isEqualTo("[]");
    }

    /** The next hop announces 8BITMIME: Postfix hands it 8-bit text as it came, not re-encoded to quoted-printable. */
    @Test
    void anEightBitBodyReachesAnEightBitMimeServerUnconverted() throws Exception {
        String recipient = remoteRecipient("eight-bit-body");
        String body = new String("Grüße aus Köln, naïve café.\r\n".getBytes(java.nio.charset.StandardCharsets.UTF_8), ISO_8859_1);

        SmtpSink.Received received = relay(recipient, "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit", body);

        assertThat(bodyOf(received)).isEqualTo(body);
        assertThat(received.data()).contains("Content-Transfer-Encoding: 8bit").doesNotContain("X-MIME-Autoconverted");
    }

    /** A MIME message of {@code contentHeaders} and {@code body} (bytes as ISO-8859-1) from USER over SMTP, as the smarthost received it. */
    private static SmtpSink.Received relay(String recipient, String contentHeaders, String body) throws Exception {
        return relay(recipient, recipient, contentHeaders, body);
    }

    /** As {@link #relay(String, String, String)}, sent to {@code recipient}, relayed to {@code relayedTo}. */
    private static SmtpSink.Received relay(String recipient, String relayedTo, String contentHeaders, String body) throws Exception {
        String subject = "relayed as it came " + UUID.randomUUID();
        String message = "From: <" + USER + ">\r\nTo: <" + recipient + ">\r\nSubject: " + subject + "\r\nMIME-Version: 1.0\r\n"
            + contentHeaders + "\r\n\r\n" + body;
        SmtpClient.deliver(server.port("smtp"), USER, List.of(recipient), message.getBytes(ISO_8859_1));
        return smarthost.awaitMessageFor(relayedTo, WAIT).orElseThrow(() -> new AssertionError("not relayed: " + subject));
    }

    private static String bodyOf(SmtpSink.Received received) {
        return received.data().substring(received.data().indexOf("\r\n\r\n") + 4);
    }

    @Test
    void aPermanentRefusalBouncesToTheSender() throws Exception {
        String recipient = remoteRecipient("refused");
        smarthost.refuse(recipient);

        submit(recipient, "will bounce");

        Optional<String> bounce = MaildirOnDisk.awaitMessageContaining(server.maildir(USER), WAIT, "Final-Recipient: rfc822; " + recipient);
        assertThat(bounce).as("a DSN in the sender's INBOX").isPresent();
        assertThat(bounce.get()).contains("report-type=delivery-status").contains("Action: failed").contains("Subject: will bounce")
            .as("the report names this server as the greeting does").contains("Reporting-MTA: dns; " + SERVER_NAME);
    }

    @Test
    void theNullSenderGetsNoBounce() throws Exception {
        String nullSenderRecipient = remoteRecipient("nobounce");
        String userRecipient = remoteRecipient("bounce");
        String nullSenderSubject = "null sender " + UUID.randomUUID();
        smarthost.refuse(nullSenderRecipient);
        smarthost.refuse(userRecipient);
        try (SmtpClient smtp = SmtpClient.connect(server.port("smtp"))) {
            SmtpClient.expect(smtp.command("EHLO client.test"), 250);
            SmtpClient.expect(smtp.send("", List.of(nullSenderRecipient),
                ("Subject: " + nullSenderSubject + "\r\n\r\nA notice that must not bounce.\r\n").getBytes(ISO_8859_1)), 250);
        }
        submit(userRecipient, "a bounce for comparison");

        // Both mails were refused for good; the sender's bounce shows how long making a bounce takes.
        server.awaitMailLog(Pattern.compile(Pattern.quote("to=<" + nullSenderRecipient + ">, relay=") + ".*status=bounced \\("), WAIT);
        assertThat(smarthost.refusals()).contains(nullSenderRecipient);
        assertThat(MaildirOnDisk.awaitMessageContaining(server.maildir(USER), WAIT, "Final-Recipient: rfc822; " + userRecipient))
            .as("the sender's bounce came back").isPresent();
        Thread.sleep(2000);
        assertThat(filesMentioning(nullSenderSubject, server.mailRoot(), server.data().resolve("mail")))
            .as("no bounce of the null-sender mail anywhere").isEmpty();
        assertThat(smarthost.received()).noneMatch(message -> message.data().contains(nullSenderSubject));
    }

    @Test
    void aTemporaryRefusalIsRetriedAndTheSenderToldOfTheDelay() throws Exception {
        String recipient = remoteRecipient("deferred");
        smarthost.defer(recipient, 1);

        submit(recipient, "deferred once");

        Optional<String> notice = MaildirOnDisk.awaitMessageContaining(server.maildir(USER), WAIT,
            "Final-Recipient: rfc822; " + recipient, "Action: delayed");
        assertThat(notice).as("a delay notice in the sender's INBOX").isPresent();
        assertThat(smarthost.awaitMessageFor(recipient, WAIT)).as("delivered by a later attempt").isPresent();
        assertThat(server.serverLog()).containsPattern(": sender delay notification: ");
    }

    /** RFC 3464 2.3.4: the status is the enhanced code alone, the reply is the diagnostic. */
    @Test
    void aRemoteRefusalIsReportedToTheSenderAsRfc3464Says() throws Exception {
        String recipient = remoteRecipient("dsn-refused");
        smarthost.refuse(recipient);

        submit(recipient, "refused, reported");

        DeliveryStatusReport report = awaitReport(recipient, "failed");
        assertReports(report, recipient, "5.1.1", "smtp; 550 5.1.1 <" + recipient + ">: Recipient address rejected: User unknown");
        assertThat(report.message().getSubject()).isEqualTo("Undelivered Mail Returned to Sender");
    }

    /** Accepted by the submission listener, which does not check local recipients, then refused by the pipeline. */
    @Test
    void anUnknownLocalRecipientAfterAcceptanceIsReportedToTheSenderAsRfc3464Says() throws Exception {
        String recipient = "nobody-" + UUID.randomUUID().toString().substring(0, 8) + "@" + DOMAIN;

        submit(recipient, "no such local user");

        assertReports(awaitReport(recipient, "failed"), recipient, "5.1.1", "smtp; 550 5.1.1 No such user here");
    }

    @Test
    void aDelayNoticeIsReportedToTheSenderAsRfc3464Says() throws Exception {
        String recipient = remoteRecipient("dsn-delayed");
        smarthost.defer(recipient, 1);

        submit(recipient, "delayed, reported");

        DeliveryStatusReport report = awaitReport(recipient, "delayed");
        assertReports(report, recipient, "4.3.0", "smtp; 451 4.3.0 <" + recipient + ">: Temporary failure, try again later");
        assertThat(report.humanText()).contains("THIS IS A WARNING ONLY");
    }

    /** Postfix too reports the last temporary failure, not "too many retries", when it gives up. */
    @Test
    void aRecipientDeferredUntilTheLastRetryIsReportedWithItsLastReply() throws Exception {
        String recipient = remoteRecipient("dsn-expired");
        smarthost.defer(recipient, 100);

        submit(recipient, "deferred for good");

        assertReports(awaitReport(recipient, "failed"), recipient, "4.3.0",
            "smtp; 451 4.3.0 <" + recipient + ">: Temporary failure, try again later");
    }

    /** An outsider's mail for the postmaster is relayed to the configured address, and only there. */
    @Test
    void postmasterMailGoesToAConfiguredAddressOnAnotherServer() throws Exception {
        String subject = "for the postmaster " + UUID.randomUUID();
        try (SmtpClient smtp = SmtpClient.outsiderTransaction(server.port("smtp"), "eve@outside.example")) {
            SmtpClient.expect(smtp.command("RCPT TO:<postmaster@" + DOMAIN + ">"), 250);
            SmtpClient.expect(smtp.command("DATA"), 354);
            SmtpClient.expect(smtp.sendData(("Subject: " + subject + "\r\n\r\nA complaint.\r\n").getBytes(ISO_8859_1)), 250);
        }

        SmtpSink.Received received = smarthost.awaitMessageFor(POSTMASTER, WAIT).orElseThrow(() -> new AssertionError("not relayed"));
        assertThat(received.data()).contains("Subject: " + subject);
    }

    /** The sender's report on {@code recipient} with {@code Action: <action>}, parsed. */
    private static DeliveryStatusReport awaitReport(String recipient, String action) throws Exception {
        String raw = MaildirOnDisk.awaitMessageContaining(server.maildir(USER), WAIT, "Final-Recipient: rfc822; " + recipient,
            "Action: " + action).orElseThrow(() -> new AssertionError("no report with Action: " + action + " on " + recipient));
        System.out.println("[OutboundDeliveryIT] report:\n" + raw);
        return DeliveryStatusReport.parse(raw);
    }

    /** This server's report, from {@code <>}, worded as Postfix's, with this status and diagnostic for the recipient. */
    private static void assertReports(DeliveryStatusReport report, String recipient, String status, String diagnostic) throws Exception {
        assertThat(report.field("Reporting-MTA")).isEqualTo("dns; " + SERVER_NAME);
        assertArrivalDate(report);
        InternetHeaders fields = report.recipient(recipient);
        assertThat(fields.getHeader("Status", null)).isEqualTo(status);
        assertThat(fields.getHeader("Diagnostic-Code", null)).isEqualTo(diagnostic);
        assertThat(report.humanText()).startsWith("This is the mail system at host " + SERVER_NAME + ".");
        assertThat(report.humanText()).doesNotContainIgnoringCase("james");
        assertThat(report.message().getHeader("Return-Path", null)).isEqualTo("<>");
    }

    private static void assertArrivalDate(DeliveryStatusReport report) {
        assertThat(report.field("Arrival-Date")).as("Arrival-Date").isNotNull();
        java.time.ZonedDateTime arrival = java.time.ZonedDateTime.parse(report.field("Arrival-Date"),
            java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME);
        assertThat(Duration.between(arrival.toInstant(), java.time.Instant.now()).abs()).isLessThan(Duration.ofHours(1));
    }

    private static List<Path> filesMentioning(String text, Path... roots) throws IOException {
        List<Path> found = new java.util.ArrayList<>();
        for (Path root : roots) {
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(root)) {
                files.filter(Files::isRegularFile).filter(file -> contains(file, text)).forEach(found::add);
            }
        }
        return found;
    }

    private static boolean contains(Path file, String text) {
        try {
            return new String(Files.readAllBytes(file), ISO_8859_1).contains(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
