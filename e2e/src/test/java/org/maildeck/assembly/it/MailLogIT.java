package org.maildeck.assembly.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The mail log (logger {@code maildeck.mail}), Postfix style: one line per event, each kind read
 * here from the server's log after real traffic. Remote mail goes to a smarthost of the test
 * ({@link SmtpSink}), which can refuse or defer recipients.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class MailLogIT {

    private static final String DOMAIN = "maillog.maildeck.test";
    private static final String ALICE = "alice@" + DOMAIN;
    private static final String BOB = "bob@" + DOMAIN;
    private static final Duration WAIT = Duration.ofSeconds(90);

    private static SmtpSink smarthost;
    private static MaildeckInstance server;

    @BeforeAll
    static void startServer() throws Exception {
        smarthost = new SmtpSink();
        server = MaildeckInstance.create((fileName, content) -> fileName.equals("mailetcontainer.xml")
            ? smarthost.asGatewayIn(content)
                .replaceAll("<delayTime>[^<]*</delayTime>", "<delayTime>1 * 2 seconds</delayTime>")
                .replaceAll("<maxRetries>[^<]*</maxRetries>", "<maxRetries>1</maxRetries>")
            : content).start();
        new WebAdmin(server).addDomain(DOMAIN).addUser(ALICE, "Maillog-Pa55").addUser(BOB, "Maillog-Pa55");
    }

    @AfterAll
    static void stopServer() throws Exception {
        ClassScopedResources.closeAll(server, smarthost);
    }

    @Test
    void aSessionIsFramedByConnectAndDisconnectWithItsCommandCounts() throws Exception {
        try (SmtpClient smtp = SmtpClient.connectFrom("127.0.0.2", server.port("smtp"))) {
            SmtpClient.expect(smtp.command("EHLO client.test"), 250);
            SmtpClient.expect(smtp.command("NOOP"), 250);
            SmtpClient.expect(smtp.command("NOOP"), 250);
            SmtpClient.expect(smtp.command("RCPT TO:<" + ALICE + ">"), 503);
            SmtpClient.expect(smtp.command("QUIT"), 221);
        }

        server.awaitMailLog(Pattern.compile("^connect from unknown\\[127\\.0\\.0\\.2]$"), WAIT);
        server.awaitMailLog(Pattern.compile(
            "^disconnect from unknown\\[127\\.0\\.0\\.2] ehlo=1 noop=2 rcpt=0/1 quit=1 commands=4/5$"), WAIT);
    }

    @Test
    void anAcceptedMailIsLoggedWithItsQueueIdSenderSizeAndRecipientCount() throws Exception {
        String messageId = "<" + UUID.randomUUID() + "@client.test>";
        byte[] message = ("Message-ID: " + messageId + "\r\nSubject: counted\r\n\r\nTwo recipients.\r\n").getBytes(ISO_8859_1);

        sendFromTrustedClient("sender@elsewhere.example", List.of(ALICE, BOB), message);

        String line = server.awaitMailLog(Pattern.compile("message-id=" + Pattern.quote(messageId)), WAIT);
        Matcher accepted = Pattern.compile("^(\\S+): from=<sender@elsewhere\\.example>, size=(\\d+), nrcpt=2, "
            + "client=[^\\[]+\\[127\\.0\\.0\\.1], message-id=" + Pattern.quote(messageId) + "$").matcher(line);
        assertThat(accepted.matches()).as(line).isTrue();
        String delivered = MaildirOnDisk.awaitMessageContaining(server.maildir(ALICE), WAIT, messageId).orElseThrow();
        assertThat(Long.parseLong(accepted.group(2))).as("the spooled message: what was sent plus our Received header")
            .isEqualTo(message.length + receivedHeaderOf(delivered).length());
    }

    @Test
    void theNullSenderIsLoggedAsEmptyAngleBrackets() throws Exception {
        String messageId = "<" + UUID.randomUUID() + "@client.test>";

        sendFromTrustedClient("", List.of(ALICE), ("Message-ID: " + messageId + "\r\n\r\nA notice.\r\n").getBytes(ISO_8859_1));

        assertThat(server.awaitMailLog(Pattern.compile("message-id=" + Pattern.quote(messageId)), WAIT))
            .contains(": from=<>, size=");
    }

    @Test
    void aLocalDeliveryIsLoggedAsDeliveredUnderTheQueueIdOfItsAcceptance() throws Exception {
        String messageId = "<" + UUID.randomUUID() + "@client.test>";

        sendFromTrustedClient("sender@elsewhere.example", List.of(BOB),
            ("Message-ID: " + messageId + "\r\nSubject: local\r\n\r\nFor Bob.\r\n").getBytes(ISO_8859_1));

        String queueId = queueIdOf(messageId);
        server.awaitMailLog(Pattern.compile("^" + Pattern.quote(queueId) + ": to=<" + Pattern.quote(BOB)
            + ">, folder=INBOX, relay=maildir, delay=\\d+\\.\\d\\d, uid=\\d+, size=\\d+, status=delivered$"), WAIT);
    }

    @Test
    void aRefusedRelayAttemptIsLoggedAsReject() throws Exception {
        String recipient = remoteRecipient("relay");
        try (SmtpClient smtp = SmtpClient.connectFrom("127.0.0.2", server.port("smtp"))) {
            SmtpClient.expect(smtp.command("EHLO client.test"), 250);
            SmtpClient.expect(smtp.command("MAIL FROM:<eve@elsewhere.example>"), 250);
            SmtpClient.expect(smtp.command("RCPT TO:<" + recipient + ">"), 554);
        }

        server.awaitMailLog(Pattern.compile("^NOQUEUE: reject: RCPT from unknown\\[127\\.0\\.0\\.2]: 554 5\\.7\\.1 <"
            + Pattern.quote(recipient) + ">: Relay access denied; from=<eve@elsewhere\\.example> to=<"
            + Pattern.quote(recipient) + "> proto=ESMTP helo=<client\\.test>$"), WAIT);
    }

    @Test
    void aRemoteDeliveryIsLoggedAsSentWithTheRelayAndItsReply() throws Exception {
        String recipient = remoteRecipient("sent");

        String queueId = sendRemote(recipient);

        assertThat(smarthost.awaitMessageFor(recipient, WAIT)).isPresent();
        server.awaitMailLog(Pattern.compile("^" + Pattern.quote(queueId) + ": to=<" + Pattern.quote(recipient) + ">, relay=127\\.0\\.0\\.1\\[127\\.0\\.0\\.1]:"
            + smarthost.port() + ", delay=\\d+\\.\\d\\d, status=sent \\(250 2\\.0\\.0 Ok: queued\\)$"), WAIT);
        assertThat(MaildeckJmx.awaitAttribute(server, "org.maildeck:type=LastMinute", "SentMessages", sent -> sent > 0, WAIT))
            .as("sent in the last minute").isPositive();
    }

    @Test
    void aTemporaryRefusalIsLoggedAsDeferredWithTheRemoteReply() throws Exception {
        String recipient = remoteRecipient("deferred");
        smarthost.defer(recipient, 1);

        String queueId = sendRemote(recipient);

        server.awaitMailLog(Pattern.compile("^" + Pattern.quote(queueId) + ": to=<" + Pattern.quote(recipient) + ">, relay=127\\.0\\.0\\.1\\[127\\.0\\.0\\.1]:"
            + smarthost.port() + ", delay=\\d+\\.\\d\\d, status=deferred \\(451 4\\.3\\.0 <" + Pattern.quote(recipient)
            + ">: Temporary failure, try again later\\)$"), WAIT);
        // the retry, now rather than at the queue's next look at delayed mail (up to a minute)
        assertThat(server.maildeck("queue", "flush").exitCode()).isZero();
        server.awaitMailLog(Pattern.compile("^" + Pattern.quote(queueId) + ": to=<" + Pattern.quote(recipient) + ">, .*status=sent "), WAIT);
        assertThat(server.mailLogLines()).as("a deferral with a retry left").noneMatch(line -> line.startsWith(queueId + ": ") && line.contains("status=expired"));
    }

    @Test
    void aMailStillDeferredAfterItsLastRetryIsLoggedAsExpiredAndReturnedToTheSender() throws Exception {
        String recipient = remoteRecipient("expired");
        smarthost.defer(recipient, 10);

        String queueId = sendRemote(recipient);

        Pattern deferred = Pattern.compile("^" + Pattern.quote(queueId) + ": to=<" + Pattern.quote(recipient) + ">, .*status=deferred \\(451 ");
        server.awaitMailLog(deferred, WAIT);
        // maxRetries 1: the retry, now, is the last attempt
        assertThat(server.maildeck("queue", "flush").exitCode()).isZero();
        server.awaitMailLog(Pattern.compile("^" + Pattern.quote(queueId) + ": from=<app@" + Pattern.quote(DOMAIN)
            + ">, status=expired, returned to sender$"), WAIT);
        assertThat(server.mailLogLines().stream().filter(line -> deferred.matcher(line).find()))
            .as("one deferred line per attempt, then the expiry").hasSize(2);
    }

    @Test
    void aPermanentRefusalIsLoggedAsBouncedWithTheRemoteReply() throws Exception {
        String recipient = remoteRecipient("bounced");
        smarthost.refuse(recipient);

        String queueId = sendRemote(recipient);

        server.awaitMailLog(Pattern.compile("^" + Pattern.quote(queueId) + ": to=<" + Pattern.quote(recipient) + ">, relay=127\\.0\\.0\\.1\\[127\\.0\\.0\\.1]:"
            + smarthost.port() + ", delay=\\d+\\.\\d\\d, status=bounced \\(550 5\\.1\\.1 <" + Pattern.quote(recipient)
            + ">: Recipient address rejected: User unknown\\)$"), WAIT);
    }

    // ---------------------------------------------------------------------------------------

    private static String remoteRecipient(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8) + "@remote.example";
    }

    private static void sendFromTrustedClient(String sender, List<String> recipients, byte[] message) throws Exception {
        try (SmtpClient smtp = SmtpClient.connect(server.port("smtp"))) {
            SmtpClient.expect(smtp.command("EHLO client.test"), 250);
            SmtpClient.expect(smtp.send(sender, recipients, message), 250);
        }
    }

    /** Sends to one remote recipient; the queue id its acceptance line gave it. */
    private static String sendRemote(String recipient) throws Exception {
        String messageId = "<" + UUID.randomUUID() + "@client.test>";
        sendFromTrustedClient("app@" + DOMAIN, List.of(recipient),
            ("Message-ID: " + messageId + "\r\nSubject: remote\r\n\r\nHello.\r\n").getBytes(ISO_8859_1));
        return queueIdOf(messageId);
    }

    private static String queueIdOf(String messageId) throws InterruptedException {
        String line = server.awaitMailLog(Pattern.compile(": from=<.*message-id=" + Pattern.quote(messageId) + "$"), WAIT);
        return line.substring(0, line.indexOf(": from=<"));
    }

    /** The first Received header, folded lines included, with CRLF line ends as on the wire (Maildir stores LF). */
    private static String receivedHeaderOf(String message) {
        Matcher received = Pattern.compile("(?s)Received: .*?\r?\n(?![ \t])").matcher(message);
        assertThat(received.find()).as("a Received header in %s", message).isTrue();
        return received.group().replace("\r\n", "\n").replace("\n", "\r\n");
    }
}
