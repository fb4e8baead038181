package org.maildeck.assembly.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;

import jakarta.mail.Address;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Mail flow through one running server: SMTP in, IMAP and POP3 out, aliases, recipient
 * checks, protocol robustness and the relay policy.
 */
class MailFlowIT {

    private static final String DOMAIN = "maildeck.test";
    private static final String PASSWORD = "secret-Pa55";
    private static final Duration DELIVERY = Duration.ofSeconds(30);
    /** Header fields the server puts in front of a message: delivery trace and the virus scanner's mark. */
    private static final Set<String> TRACE_HEADERS = Set.of("return-path", "delivered-to", "received", "x-virus-scanned");

    @RegisterExtension
    static final TestServer maildeck = TestServer.shared();
    private static WebAdmin webAdmin;

    @BeforeAll
    static void onTheSharedServer() {
        webAdmin = maildeck.domain(DOMAIN).webAdmin();
    }

    private static String newUser(String localPart) {
        String address = localPart + "@" + DOMAIN;
        webAdmin.addUser(address, PASSWORD);
        return address;
    }

    @Test
    void withoutAConfiguredNameTheServerGreetsWithThisHostsName() throws Exception {
        String kernelName = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/kernel/hostname")).trim();
        String shortName = kernelName.toLowerCase(java.util.Locale.ROOT).split("\\.")[0];

        try (SmtpClient smtp = SmtpClient.connect(maildeck.port("smtp"))) {
            // the short name, or the name with its domain where /etc/hosts or DNS give one
            assertThat(smtp.greeting().lines().get(0))
                .matches("220 " + java.util.regex.Pattern.quote(shortName) + "(\\.[a-z0-9.-]+)? ESMTP Maildeck");
        }
        assertThat(maildeck.instance().serverLog()).contains("server name " + shortName);
    }

    /**
     * The dev configuration has LMTP on, on loopback port 2424 (2024 is taken on the build
     * machines); this instance runs it as shipped, only moved to a free port.
     */
    @Test
    void theDevConfigurationServesLmtpOnLoopback() throws Exception {
        String shipped = java.nio.file.Files.readString(MaildeckInstance.distribution().resolve("conf/lmtpserver.xml"));
        assertThat(MaildeckInstance.devPort("lmtp")).isEqualTo(2424);
        assertThat(shipped).contains("<lmtpserver enabled=\"true\">").contains("<bind>127.0.0.1:2424</bind>");

        try (SmtpClient lmtp = SmtpClient.connect(maildeck.port("lmtp"))) {
            SmtpClient.expect(lmtp.greeting(), 220);
            SmtpClient.expect(lmtp.command("LHLO mta.client.test"), 250);
        }
    }

    @Test
    void lmtpDeliveryAnswersOncePerRecipientAfterData() throws Exception {
        String first = newUser("lmtp-one");
        String second = newUser("lmtp-two");
        String subject = "over LMTP " + UUID.randomUUID();
        byte[] message = ("From: <sender@client.test>\r\nTo: <" + first + ">\r\nSubject: " + subject
            + "\r\n\r\nHanded over by an MTA.\r\n").getBytes(ISO_8859_1);

        try (SmtpClient lmtp = SmtpClient.connect(maildeck.port("lmtp"))) {
            SmtpClient.expect(lmtp.greeting(), 220);
            SmtpClient.expect(lmtp.command("LHLO mta.client.test"), 250);
            SmtpClient.expect(lmtp.command("MAIL FROM:<sender@client.test>"), 250);
            SmtpClient.expect(lmtp.command("RCPT TO:<" + first + ">"), 250);
            SmtpClient.expect(lmtp.command("RCPT TO:<" + second + ">"), 250);
            SmtpClient.expect(lmtp.command("DATA"), 354);
            // RFC 2033 4.2: after the final dot, one reply for each accepted recipient.
            SmtpClient.expect(lmtp.sendData(message), 250);
            SmtpClient.expect(lmtp.readReply(), 250);
        }

        new Mailbox(maildeck.instance(), first, PASSWORD).awaitSubject(subject, DELIVERY);
        new Mailbox(maildeck.instance(), second, PASSWORD).awaitSubject(subject, DELIVERY);
    }

    @Test
    void pipelinedMessageIsReadableOverImapByteForByte() throws Exception {
        String user = newUser("pipe");
        String token = UUID.randomUUID().toString();
        byte[] message = trickyMessage(token, user);

        try (SmtpClient smtp = SmtpClient.connect(maildeck.port("smtp"))) {
            SmtpClient.Reply ehlo = smtp.command("EHLO client.test");
            assertThat(ehlo.code()).isEqualTo(250);
            assertThat(ehlo.hasExtension("PIPELINING")).as("EHLO reply %s", ehlo).isTrue();

            smtp.write(("MAIL FROM:<sender@client.test>\r\nRCPT TO:<" + user + ">\r\nDATA\r\n").getBytes(ISO_8859_1));
            assertThat(smtp.readReply().code()).as("MAIL").isEqualTo(250);
            assertThat(smtp.readReply().code()).as("RCPT").isEqualTo(250);
            assertThat(smtp.readReply().code()).as("DATA").isEqualTo(354);
            assertThat(smtp.sendData(message).code()).as("end of data").isEqualTo(250);
            assertThat(smtp.command("QUIT").code()).isEqualTo(221);
        }

        Mailbox mailbox = new Mailbox(maildeck.instance(), user, PASSWORD);
        mailbox.awaitSubjects(1, DELIVERY);
        byte[] fetched = mailbox.fetchRawBody(1);

        assertStoredAsSent(fetched, message);
    }

    @Test
    void pop3RetrReturnsTheMessageUnDotStuffed() throws Exception {
        String user = newUser("pop");
        byte[] message = trickyMessage(UUID.randomUUID().toString(), user);
        sendOverSmtp(user, message);
        new Mailbox(maildeck.instance(), user, PASSWORD).awaitSubjects(1, DELIVERY);

        try (Pop3Client pop3 = Pop3Client.login(maildeck.port("pop3"), user, PASSWORD)) {
            byte[] wire = pop3.multiLineOnTheWire("RETR 1");
            assertThat(new String(wire, ISO_8859_1))
                .as("RETR dot-stuffs lines starting with a dot on the wire")
                .contains("\r\n..A line starting with a dot.\r\n", "\r\n..\r\n");

            assertStoredAsSent(Pop3Client.unStuff(wire), message);
        }
    }

    @Test
    void rawEightBitHeaderBytesAreStoredAsSent() throws Exception {
        String user = newUser("eight-bit");
        String token = UUID.randomUUID().toString();
        // What clients that do not use RFC 2047 send: the subject in UTF-8, a name in Latin-1.
        byte[] message = concat(
            ("Message-ID: <" + token + "@client.test>\r\nTo: " + user + "\r\n").getBytes(ISO_8859_1),
            "Subject: Grüße aus Köln \u2013 ".getBytes(java.nio.charset.StandardCharsets.UTF_8),
            (token + "\r\n").getBytes(ISO_8859_1),
            "From: Jürgen Müller <sender@client.test>\r\n".getBytes(ISO_8859_1),
            "\r\nBody.\r\n".getBytes(ISO_8859_1));
        sendOverSmtp(user, message);

        Mailbox mailbox = new Mailbox(maildeck.instance(), user, PASSWORD);
        mailbox.awaitSubjects(1, DELIVERY);

        assertStoredAsSent(mailbox.fetchRawBody(1), message);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    @Test
    void pop3UidlListsAUniqueStableIdPerMessage() throws Exception {
        String user = newUser("uidl");
        sendOverSmtp(user, simpleMessage(user, "uidl one"));
        sendOverSmtp(user, simpleMessage(user, "uidl two"));
        new Mailbox(maildeck.instance(), user, PASSWORD).awaitSubjects(2, DELIVERY);

        List<String> first;
        try (Pop3Client pop3 = Pop3Client.login(maildeck.port("pop3"), user, PASSWORD)) {
            first = uidlLines(pop3);
        }
        assertThat(first).hasSize(2);
        assertThat(first.get(0)).startsWith("1 ");
        assertThat(first.get(1)).startsWith("2 ");
        List<String> ids = first.stream().map(line -> line.substring(line.indexOf(' ') + 1)).toList();
        // RFC 1939 section 7: 1 to 70 characters in the range 0x21 to 0x7E
        assertThat(ids).allMatch(id -> id.matches("[\\x21-\\x7e]{1,70}")).doesNotHaveDuplicates();

        try (Pop3Client pop3 = Pop3Client.login(maildeck.port("pop3"), user, PASSWORD)) {
            assertThat(uidlLines(pop3)).as("same ids in a new session").isEqualTo(first);
        }
    }

    private static List<String> uidlLines(Pop3Client pop3) throws IOException {
        String listing = new String(pop3.multiLine("UIDL"), ISO_8859_1);
        return listing.isEmpty() ? List.of() : List.of(listing.split("\r\n"));
    }

    @Test
    void mailToAnAliasIsDeliveredToItsTarget() throws Exception {
        String target = newUser("alias-target");
        String alias = "sales@" + DOMAIN;
        webAdmin.addAlias(alias, target);
        String subject = "for the alias " + UUID.randomUUID();

        Properties properties = new Properties();
        properties.setProperty("mail.smtp.host", "127.0.0.1");
        properties.setProperty("mail.smtp.port", Integer.toString(maildeck.port("smtp")));
        properties.setProperty("mail.smtp.localhost", "client.test");
        Session session = Session.getInstance(properties);
        // Parsed from text rather than built with setText(): the test class path also holds
        // James's javax.mail, whose META-INF/mailcap handlers Jakarta Activation would pick up.
        MimeMessage mail = new MimeMessage(session, new ByteArrayInputStream(simpleMessage(alias, subject)));
        Transport.send(mail, new Address[] {new InternetAddress(alias)});

        new Mailbox(maildeck.instance(), target, PASSWORD).awaitSubject(subject, DELIVERY);
    }

    @Test
    void unknownLocalRecipientIsRejectedAtRcptAndTheSessionGoesOn() throws Exception {
        String user = newUser("known");
        try (SmtpClient smtp = SmtpClient.connect(maildeck.port("smtp"))) {
            SmtpClient.expect(smtp.command("EHLO client.test"), 250);
            SmtpClient.expect(smtp.command("MAIL FROM:<sender@client.test>"), 250);

            SmtpClient.Reply unknown = smtp.command("RCPT TO:<nobody-here@" + DOMAIN + ">");
            System.out.println("[MailFlowIT] RCPT TO:<nobody-here@" + DOMAIN + "> -> " + unknown);
            assertThat(unknown.last()).startsWith("550 5.1.1");

            assertThat(smtp.command("RCPT TO:<" + user + ">").code()).isEqualTo(250);
        }
    }

    @Test
    void malformedCommandsGet5xxAndTheSessionGoesOn() throws Exception {
        String user = newUser("robust");
        String subject = "after the garbage " + UUID.randomUUID();
        try (SmtpClient smtp = SmtpClient.connect(maildeck.port("smtp"))) {
            SmtpClient.expect(smtp.command("EHLO client.test"), 250);

            assertRejected(smtp, "MAIL FROM:<not an address");
            assertRejected(smtp, "RCPT TO:<" + user + ">");
            assertRejected(smtp, "FOO BAR");
            assertRejected(smtp, garbage(2000));
            SmtpClient.expect(smtp.command("MAIL FROM:<sender@client.test>"), 250);
            assertRejected(smtp, "DATA");
            SmtpClient.expect(smtp.command("RSET"), 250);

            SmtpClient.Reply end = smtp.send("sender@client.test", List.of(user), simpleMessage(user, subject));
            assertThat(end.code()).as("reply to the valid transaction: %s", end).isEqualTo(250);
            assertThat(smtp.command("QUIT").code()).isEqualTo(221);
        }
        new Mailbox(maildeck.instance(), user, PASSWORD).awaitSubject(subject, DELIVERY);
    }

    /** The queue keeps recipients as one ';'-separated list: such a recipient would vanish after the 250. */
    @Test
    void aRecipientWithASemicolonIsRefusedAndTheOthersOfTheMailAreDelivered() throws Exception {
        String user = newUser("semicolon");
        String subject = "beside a semicolon " + UUID.randomUUID();
        try (SmtpClient smtp = SmtpClient.connect(maildeck.port("smtp"))) {
            SmtpClient.expect(smtp.command("EHLO client.test"), 250);
            SmtpClient.expect(smtp.command("MAIL FROM:<sender@client.test>"), 250);

            SmtpClient.Reply local = smtp.command("RCPT TO:<\"semi;colon\"@" + DOMAIN + ">");
            SmtpClient.Reply remote = smtp.command("RCPT TO:<\"a;b\"@remote.example>");

            assertThat(local.last()).isEqualTo("501 5.1.3 <\"semi;colon\"@" + DOMAIN + ">: Recipient address rejected: ';' cannot be queued");
            assertThat(remote.last()).isEqualTo("501 5.1.3 <\"a;b\"@remote.example>: Recipient address rejected: ';' cannot be queued");
            SmtpClient.expect(smtp.command("RCPT TO:<" + user + ">"), 250);
            SmtpClient.expect(smtp.command("DATA"), 354);
            SmtpClient.expect(smtp.sendData(simpleMessage(user, subject)), 250);
        }
        new Mailbox(maildeck.instance(), user, PASSWORD).awaitSubject(subject, DELIVERY);
    }

    private static void assertRejected(SmtpClient smtp, String command) throws IOException {
        SmtpClient.Reply reply = smtp.command(command);
        String shown = command.length() > 60 ? command.substring(0, 20) + "...(" + command.length() + " chars)" : command;
        String shownReply = reply.toString().length() > 120 ? reply.toString().substring(0, 120) + "..." : reply.toString();
        System.out.println("[MailFlowIT] " + shown + " -> " + shownReply);
        assertThat(reply.code()).as("reply to '%s': %s", shown, reply).isBetween(500, 599);
    }

    private static String garbage(int length) {
        String pattern = "x7#\u00a7~!%&()[]{}<>?=*+^|;,'`$@:QwErTy0";
        StringBuilder line = new StringBuilder(length);
        for (int i = 0; line.length() < length; i++) {
            line.append(pattern.charAt((i * 7) % pattern.length()));
        }
        return line.toString();
    }

    @Test
    void relayFromAnUntrustedClientIsRefused() throws Exception {
        try (SmtpClient smtp = SmtpClient.connectFrom("127.0.0.2", maildeck.port("smtp"))) {
            SmtpClient.expect(smtp.command("EHLO client.test"), 250);
            SmtpClient.expect(smtp.command("MAIL FROM:<someone@client.test>"), 250);

            SmtpClient.Reply relay = smtp.command("RCPT TO:<someone@remote.test>");
            System.out.println("[MailFlowIT] from 127.0.0.2: RCPT TO:<someone@remote.test> -> " + relay);
            assertThat(relay.code()).as("reply %s", relay).isBetween(500, 599);
        }
    }

    @Test
    void untrustedClientMayStillSendToALocalUser() throws Exception {
        String user = newUser("inbound");
        String subject = "from outside " + UUID.randomUUID();
        try (SmtpClient smtp = SmtpClient.connectFrom("127.0.0.2", maildeck.port("smtp"))) {
            SmtpClient.expect(smtp.command("EHLO client.test"), 250);
            SmtpClient.Reply end = smtp.send("someone@client.test", List.of(user), simpleMessage(user, subject));
            assertThat(end.code()).as("reply %s", end).isEqualTo(250);
        }
        new Mailbox(maildeck.instance(), user, PASSWORD).awaitSubject(subject, DELIVERY);
    }

    // ---------------------------------------------------------------------------------------

    private static void sendOverSmtp(String recipient, byte[] message) throws IOException {
        try (SmtpClient smtp = SmtpClient.connect(maildeck.port("smtp"))) {
            SmtpClient.expect(smtp.command("EHLO client.test"), 250);
            SmtpClient.expect(smtp.send("sender@client.test", List.of(recipient), message), 250);
            smtp.command("QUIT");
        }
    }

    /**
     * What the store holds must be the sent bytes, with only trace header fields (Return-Path,
     * Delivered-To, Received, X-Virus-Scanned) put in front of them.
     */
    private static void assertStoredAsSent(byte[] stored, byte[] sent) {
        int traceEnd = endOfLeadingTraceHeaders(stored);
        String trace = new String(stored, 0, traceEnd, ISO_8859_1);
        System.out.print("[MailFlowIT] trace header fields in front of the sent message:\n" + trace);
        byte[] rest = java.util.Arrays.copyOfRange(stored, traceEnd, stored.length);

        assertThat(new String(rest, ISO_8859_1))
            .as("stored message after the trace headers:\n%s", new String(stored, ISO_8859_1))
            .isEqualTo(new String(sent, ISO_8859_1));
        assertThat(rest).isEqualTo(sent);
        assertThat(trace.toLowerCase()).as("trace headers %s", trace)
            .contains("return-path:", "received:", "delivered-to:", "x-virus-scanned:");
    }

    /** Offset of the first header field (folded lines included) not named in {@link #TRACE_HEADERS}. */
    private static int endOfLeadingTraceHeaders(byte[] message) {
        int offset = 0;
        while (offset < message.length) {
            int colon = indexOf(message, (byte) ':', offset);
            int lineEnd = indexOf(message, (byte) '\n', offset);
            if (colon < 0 || lineEnd < 0 || colon > lineEnd) {
                return offset;
            }
            String name = new String(message, offset, colon - offset, ISO_8859_1).toLowerCase();
            if (!TRACE_HEADERS.contains(name)) {
                return offset;
            }
            offset = lineEnd + 1;
            while (offset < message.length && (message[offset] == ' ' || message[offset] == '\t')) {
                offset = indexOf(message, (byte) '\n', offset) + 1;
            }
        }
        return offset;
    }

    private static int indexOf(byte[] bytes, byte b, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }

    /**
     * A 7-bit message with content that is easy to get wrong: header fields folded over several
     * lines (space and tab), trailing white space, lines starting with a dot, a line holding a
     * single dot, an mbox-style "From " line, empty lines, CRLF everywhere.
     */
    private static byte[] trickyMessage(String token, String recipient) {
        String message = "Message-ID: <" + token + "@client.test>\r\n"
            + "Date: Mon, 01 Jan 2024 10:00:00 +0000\r\n"
            + "From: \"Sender, Some\" <sender@client.test>\r\n"
            + "To: " + recipient + "\r\n"
            + "Subject: tricky " + token + ": a subject that is long enough to be folded\r\n"
            + " onto a second line starting with a space,\r\n"
            + "\tand a third one starting with a tab\r\n"
            + "X-Long-Header: " + "0123456789 ".repeat(30).strip() + "\r\n"
            + "X-Trailing-Space: value with trailing spaces   \r\n"
            + "MIME-Version: 1.0\r\n"
            + "Content-Type: text/plain; charset=us-ascii\r\n"
            + "\r\n"
            + "First line of the body.\r\n"
            + ".A line starting with a dot.\r\n"
            + "..Two dots.\r\n"
            + ".\r\n"
            + "The line above is a lone dot and did not end the message.\r\n"
            + "From the start of a line, as in mbox.\r\n"
            + "\r\n"
            + "  indented line\r\n"
            + "\r\n"
            + "Last line.\r\n";
        return message.getBytes(ISO_8859_1);
    }

    private static byte[] simpleMessage(String recipient, String subject) {
        return ("From: sender@client.test\r\n"
            + "To: " + recipient + "\r\n"
            + "Subject: " + subject + "\r\n"
            + "Message-ID: <" + UUID.randomUUID() + "@client.test>\r\n"
            + "MIME-Version: 1.0\r\n"
            + "Content-Type: text/plain; charset=us-ascii\r\n"
            + "Content-Transfer-Encoding: 7bit\r\n"
            + "\r\n"
            + "Hello.\r\n").getBytes(ISO_8859_1);
    }
}
