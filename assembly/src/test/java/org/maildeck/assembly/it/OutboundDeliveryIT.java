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
                .replaceAll("<maxRetries>[^<]*</maxRetries>", "<maxRetries>1</maxRetries>");
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
        if (server != null) {
            server.close();
        }
        if (smarthost != null) {
            smarthost.close();
        }
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

        try (SmtpClient smtp = SmtpClient.connect(server.port("smtp"))) {
            SmtpClient.expect(smtp.command("EHLO client.test"), 250);
            SmtpClient.expect(smtp.send(USER, List.of(recipient), message.toByteArray()), 250);
        }

        Optional<SmtpSink.Received> received = smarthost.awaitMessageFor(recipient, WAIT);
        assertThat(received).isPresent();
        assertThat(received.get().data()).contains(new String(subject, ISO_8859_1), new String(from, ISO_8859_1));
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
