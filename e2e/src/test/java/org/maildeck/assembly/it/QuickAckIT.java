package org.maildeck.assembly.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a client sends after the server's prompt ({@code + Ok} for an IMAP literal, {@code 354}
 * for SMTP's and LMTP's DATA) is acknowledged at once: the server's end of the connection is in
 * quick-ACK mode when the client starts sending. Otherwise a client with Nagle's algorithm on
 * (as the clients here: Java sockets) that sends the literal and its CRLF, or the message and the
 * final dot, in two writes waits for the kernel's delayed ACK (40 ms) every time. The mechanism
 * is asserted, not the time: {@link ServerTcpState} reads the server's socket option.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class QuickAckIT {

    private static final String DOMAIN = "quickack.test";
    private static final byte[] MESSAGE = ("From: <sender@client.test>\r\nSubject: two writes\r\n\r\n"
        + "x".repeat(4000) + "\r\n").getBytes(ISO_8859_1);

    @RegisterExtension
    static final TestServer maildeck = TestServer.shared();

    @Test
    void imapLiteralAfterTheContinuationRequestIsAcknowledgedAtOnce() throws Exception {
        String user = maildeck.newUser("append", DOMAIN);
        try (ImapWire imap = ImapWire.login(maildeck.port("imap"), user, TestServer.PASSWORD)) {
            String tag = imap.tag();
            imap.send(tag + " APPEND INBOX {" + MESSAGE.length + "}");
            assertThat(imap.next(ImapWire.NORMAL).text()).startsWith("+");

            assertThat(ServerTcpState.quickAck(maildeck.instance().pid(), imap.socket()))
                .as("server's TCP_QUICKACK after the continuation request").isTrue();
            // As Python's imaplib sends them: the literal, then its CRLF.
            imap.write(MESSAGE);
            imap.write("\r\n".getBytes(ISO_8859_1));
            assertThat(imap.awaitTagged(tag, ImapWire.NORMAL).isOk()).isTrue();
        }
    }

    @Test
    void smtpMessageAfterTheDataPromptIsAcknowledgedAtOnce() throws Exception {
        messageAfterTheDataPromptIsAcknowledgedAtOnce("smtp", "EHLO client.test");
    }

    @Test
    void lmtpMessageAfterTheDataPromptIsAcknowledgedAtOnce() throws Exception {
        messageAfterTheDataPromptIsAcknowledgedAtOnce("lmtp", "LHLO mta.client.test");
    }

    private static void messageAfterTheDataPromptIsAcknowledgedAtOnce(String listener, String hello) throws Exception {
        String user = maildeck.newUser(listener, DOMAIN);
        try (SmtpClient client = SmtpClient.connect(maildeck.port(listener))) {
            SmtpClient.expect(client.command(hello), 250);
            SmtpClient.expect(client.command("MAIL FROM:<sender@client.test>"), 250);
            SmtpClient.expect(client.command("RCPT TO:<" + user + ">"), 250);
            SmtpClient.expect(client.command("DATA"), 354);

            assertThat(ServerTcpState.quickAck(maildeck.instance().pid(), client.socket()))
                .as("server's TCP_QUICKACK after %s's 354", listener).isTrue();
            // The message, then the final dot, in two writes.
            SmtpClient.expect(client.sendData(MESSAGE), 250);
        }
    }
}
