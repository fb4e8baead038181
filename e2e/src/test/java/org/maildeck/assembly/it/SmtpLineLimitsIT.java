package org.maildeck.assembly.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.IntFunction;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the SMTP and LMTP listeners do with long lines and many recipients, as shipped: body lines
 * up to 1 MiB are kept byte for byte, a longer one refuses the message with one reply (over LMTP,
 * one per recipient, RFC 2033 4.2), command lines are limited to 2048 bytes, no reply line is
 * longer than RFC 5321's 512, and a transaction takes 1000 recipients (postfix's
 * smtpd_recipient_limit). After each refusal the session answers the next command with that
 * command's own reply.
 */
class SmtpLineLimitsIT {

    private static final String DOMAIN = "maildeck.test";
    private static final String PASSWORD = TestServer.PASSWORD;
    private static final Duration DELIVERY = Duration.ofSeconds(30);
    private static final int DATA_LINE_LIMIT = 1024 * 1024;

    @RegisterExtension
    static final TestServer maildeck = TestServer.shared();

    private static String newUser(String localPart) {
        return maildeck.newUser(localPart, DOMAIN);
    }

    @Test
    void bodyLinesOfTenAndOneHundredThousandBytesAreStoredByteForByte() throws Exception {
        String user = newUser("long-lines");
        String token = UUID.randomUUID().toString();
        byte[] message = message(user, token,
            "before\r\n" + line('y', 10_000) + "\r\nbetween\r\n" + line('z', 100_000) + "\r\nafter\r\n");

        try (SmtpClient smtp = SmtpClient.connect(maildeck.port("smtp"))) {
            SmtpClient.expect(smtp.command("EHLO client.test"), 250);
            SmtpClient.expect(smtp.send("sender@client.test", List.of(user), message), 250);
            assertThat(smtp.command("NOOP").last()).startsWith("250");
        }

        assertStoredUnchanged(user, token, message);
    }

    @Test
    void aBodyLineOverTheLimitRefusesTheMessageWithOneReplyAndTheSessionGoesOn() throws Exception {
        String user = newUser("too-long-line");
        String refused = UUID.randomUUID().toString();
        String accepted = UUID.randomUUID().toString();

        try (SmtpClient smtp = SmtpClient.connect(maildeck.port("smtp"))) {
            SmtpClient.expect(smtp.command("EHLO client.test"), 250);
            SmtpClient.Reply end = smtp.send("sender@client.test", List.of(user),
                message(user, refused, "before\r\n" + line('y', DATA_LINE_LIMIT + 1) + "\r\nafter\r\n"));
            System.out.println("[SmtpLineLimitsIT] end of DATA with a line of " + (DATA_LINE_LIMIT + 1) + " bytes -> " + end);

            assertThat(end.last()).isEqualTo("552 5.3.4 Message line too long");
            // Exactly one reply: the next command gets its own.
            assertThat(smtp.command("NOOP").last()).isEqualTo("250 2.0.0 OK");
            SmtpClient.Reply next = smtp.send("sender@client.test", List.of(user), message(user, accepted, "short\r\n"));
            assertThat(next.code()).as("the next transaction: %s", next).isEqualTo(250);
        }

        assertRefusedNotDeliveredButTheNextOne(List.of(user), refused, accepted);
    }

    @Test
    void aCommandLineOverTheLimitGets500AndTheSessionGoesOn() throws Exception {
        try (SmtpClient smtp = SmtpClient.connect(maildeck.port("smtp"))) {
            SmtpClient.expect(smtp.command("EHLO client.test"), 250);

            assertThat(smtp.command("NOOP " + line('x', 3000)).last()).isEqualTo("500 5.5.2 Error: line too long");
            assertThat(smtp.command("NOOP").last()).isEqualTo("250 2.0.0 OK");
            assertThat(smtp.command("MAIL FROM:<" + line('x', 20_000) + "@client.test>").last()).isEqualTo("500 5.5.2 Error: line too long");
            assertThat(smtp.command("MAIL FROM:<sender@client.test>").code()).isEqualTo(250);
        }
    }

    @Test
    void anUnknownCommandIsAnsweredWithoutEchoingIt() throws Exception {
        try (SmtpClient smtp = SmtpClient.connect(maildeck.port("smtp"))) {
            SmtpClient.expect(smtp.command("EHLO client.test"), 250);

            SmtpClient.Reply unknown = smtp.command(line('Q', 2000));

            assertThat(unknown.lines()).containsExactly("502 5.5.2 Error: command not recognized");
            assertThat(smtp.command("NOOP").last()).isEqualTo("250 2.0.0 OK");
        }
    }

    @Test
    void noReplyLineIsLongerThan512Bytes() throws Exception {
        String longName = (line('h', 60) + ".").repeat(30) + "example";
        try (SmtpClient smtp = SmtpClient.connectFrom("127.0.0.2", maildeck.port("smtp"))) {
            List<SmtpClient.Reply> replies = new ArrayList<>();
            replies.add(smtp.command("EHLO " + longName));
            replies.add(smtp.command("MAIL FROM:<sender@" + longName + ">"));
            replies.add(smtp.command("RCPT TO:<someone@" + longName + ">"));
            System.out.println("[SmtpLineLimitsIT] replies to commands of " + longName.length() + "-byte names: " + replies);

            // RFC 5321 4.5.3.1.5: a reply line is at most 512 bytes with its CRLF.
            assertThat(replies).flatExtracting(SmtpClient.Reply::lines).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(510));
            assertThat(smtp.command("NOOP").last()).isEqualTo("250 2.0.0 OK");
        }
    }

    @Test
    void recipientsBeyondOneThousandGet452AndTheSessionGoesOn() throws Exception {
        try (SmtpClient smtp = SmtpClient.connect(maildeck.port("smtp"))) {
            SmtpClient.expect(smtp.command("EHLO client.test"), 250);
            assertRecipientsBeyondOneThousandGet452(smtp, i -> "r" + i + "@remote.example");
        }
        assertThat(maildeck.instance().awaitMailLog(Pattern.compile("NOQUEUE: reject: RCPT from .*: 452 4.5.3 Error: too many recipients; from=<sender@client.test> to=<r1001@remote.example>"),
            DELIVERY)).isNotEmpty();
    }

    private static void assertRecipientsBeyondOneThousandGet452(SmtpClient client, IntFunction<String> recipient) throws IOException {
        int recipients = 1003;
        SmtpClient.expect(client.command("MAIL FROM:<sender@client.test>"), 250);
        // Pipelined (the listeners offer PIPELINING): one write, then one reply per RCPT.
        ByteArrayOutputStream commands = new ByteArrayOutputStream();
        for (int i = 1; i <= recipients; i++) {
            commands.writeBytes(("RCPT TO:<" + recipient.apply(i) + ">\r\n").getBytes(ISO_8859_1));
        }
        client.write(commands.toByteArray());
        List<String> replies = new ArrayList<>();
        for (int i = 1; i <= recipients; i++) {
            replies.add(client.readReply().last());
        }

        assertThat(replies.subList(0, 1000)).allSatisfy(reply -> assertThat(reply).startsWith("250"));
        assertThat(replies.subList(1000, recipients)).containsOnly("452 4.5.3 Error: too many recipients");
        SmtpClient.expect(client.command("RSET"), 250);
        SmtpClient.expect(client.command("MAIL FROM:<sender@client.test>"), 250);
        SmtpClient.expect(client.command("RCPT TO:<" + recipient.apply(1) + ">"), 250);
        SmtpClient.expect(client.command("RSET"), 250);
    }

    @Test
    void lmtpStoresABodyLineOfOneHundredThousandBytesByteForByte() throws Exception {
        String user = newUser("lmtp-long-line");
        String token = UUID.randomUUID().toString();
        byte[] message = message(user, token, "before\r\n" + line('z', 100_000) + "\r\nafter\r\n");

        try (SmtpClient lmtp = lmtpSession()) {
            SmtpClient.expect(lmtp.send("sender@client.test", List.of(user), message), 250);
            assertThat(lmtp.command("NOOP").last()).startsWith("250");
        }

        assertStoredUnchanged(user, token, message);
    }

    @Test
    void lmtpRefusesAMessageWithALineOverTheLimitOncePerRecipientAndTheSessionGoesOn() throws Exception {
        String first = newUser("lmtp-too-long-1");
        String second = newUser("lmtp-too-long-2");
        String refused = UUID.randomUUID().toString();
        String accepted = UUID.randomUUID().toString();

        try (SmtpClient lmtp = lmtpSession()) {
            SmtpClient.Reply end = lmtp.send("sender@client.test", List.of(first, second),
                message(first, refused, "before\r\n" + line('y', DATA_LINE_LIMIT + 1) + "\r\nafter\r\n"));
            SmtpClient.Reply forSecond = lmtp.readReply();
            System.out.println("[SmtpLineLimitsIT] LMTP end of DATA with a line of " + (DATA_LINE_LIMIT + 1) + " bytes -> " + end + " / " + forSecond);

            // RFC 2033 4.2: one reply for each recipient, and no more.
            assertThat(List.of(end.last(), forSecond.last())).containsOnly("552 5.3.4 Message line too long");
            assertThat(lmtp.command("NOOP").last()).isEqualTo("250 2.0.0 OK");
            SmtpClient.Reply next = lmtp.send("sender@client.test", List.of(first), message(first, accepted, "short\r\n"));
            assertThat(next.code()).as("the next transaction: %s", next).isEqualTo(250);
        }

        assertRefusedNotDeliveredButTheNextOne(List.of(first, second), refused, accepted);
    }

    @Test
    void lmtpLimitsCommandLinesAndAnswersUnknownCommandsWithoutEchoingThem() throws Exception {
        try (SmtpClient lmtp = lmtpSession()) {
            assertThat(lmtp.command("NOOP " + line('x', 3000)).last()).isEqualTo("500 5.5.2 Error: line too long");
            assertThat(lmtp.command("NOOP").last()).isEqualTo("250 2.0.0 OK");
            assertThat(lmtp.command(line('Q', 2000)).lines()).containsExactly("502 5.5.2 Error: command not recognized");
            assertThat(lmtp.command("NOOP").last()).isEqualTo("250 2.0.0 OK");
        }
    }

    private static void assertStoredUnchanged(String user, String token, byte[] message) throws Exception {
        String stored = MaildirOnDisk.awaitMessageContaining(maildeck.instance().maildir(user), DELIVERY, token).orElseThrow(
            () -> new AssertionError("the message with long lines was not delivered"));
        // The store puts trace header fields (Return-Path, Received, ...) in front; the rest is what was sent.
        assertThat(stored.endsWith(new String(message, ISO_8859_1)))
            .as("the stored message ends with the sent message unchanged (stored %d bytes, sent %d)", stored.length(), message.length)
            .isTrue();
    }

    /**
     * The message with {@code refused} in its subject reached none of {@code recipients} and was
     * logged once, for the first; the next one, sent to the first, was delivered.
     */
    private static void assertRefusedNotDeliveredButTheNextOne(List<String> recipients, String refused, String accepted) throws Exception {
        assertThat(MaildirOnDisk.awaitMessageContaining(maildeck.instance().maildir(recipients.get(0)), DELIVERY, accepted)).isPresent();
        for (String recipient : recipients) {
            assertThat(MaildirOnDisk.awaitMessageContaining(maildeck.instance().maildir(recipient), Duration.ZERO, refused))
                .as("the refused message is not delivered to %s, not even without its long line", recipient).isEmpty();
        }
        assertThat(maildeck.instance().awaitMailLog(Pattern.compile("NOQUEUE: reject: END-OF-MESSAGE from .*: 552 5.3.4 Message line too long; from=<sender@client.test> to=<"
            + Pattern.quote(recipients.get(0)) + ">"), DELIVERY)).isNotEmpty();
    }

    @Test
    void lmtpRecipientsBeyondOneThousandGet452AndTheSessionGoesOn() throws Exception {
        // LMTP takes local recipients only; one named a thousand times counts a thousand times.
        String user = newUser("lmtp-many");
        try (SmtpClient lmtp = lmtpSession()) {
            assertRecipientsBeyondOneThousandGet452(lmtp, i -> user);
        }
        assertThat(maildeck.instance().awaitMailLog(Pattern.compile("NOQUEUE: reject: RCPT from .*: 452 4.5.3 Error: too many recipients; from=<sender@client.test> to=<"
            + Pattern.quote(user) + ">"), DELIVERY)).isNotEmpty();
    }

    /** An LMTP session after its LHLO. */
    private static SmtpClient lmtpSession() throws IOException {
        SmtpClient lmtp = SmtpClient.connect(maildeck.port("lmtp"));
        SmtpClient.expect(lmtp.command("LHLO mta.client.test"), 250);
        return lmtp;
    }

    private static byte[] message(String recipient, String token, String body) {
        return ("From: sender@client.test\r\n"
            + "To: " + recipient + "\r\n"
            + "Subject: " + token + "\r\n"
            + "Message-ID: <" + token + "@client.test>\r\n"
            + "\r\n"
            + body).getBytes(ISO_8859_1);
    }

    private static String line(char c, int length) {
        return String.valueOf(c).repeat(length);
    }
}
