package org.maildeck.assembly.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A listener whose configuration lost its RelayPolicy handler relays for nobody, not for
 * everybody: the relay check built into the command set refuses every remote recipient.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class RelayBackstopIT {

    private static final String DOMAIN = "backstop.maildeck.test";

    private static MaildeckInstance server;

    @BeforeAll
    static void startServer() {
        server = MaildeckInstance.create((fileName, content) -> fileName.equals("smtpserver.xml")
            ? content.replaceFirst("(?s)<handler class=\"org.maildeck.mailets.smtpd.RelayPolicy\">.*?</handler>", "")
            : content).start();
        new WebAdmin(server).addDomain(DOMAIN).addUser("alice@" + DOMAIN, "Backstop-Pa55");
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void evenALoopbackClientCannotRelayWithoutARelayPolicy() throws Exception {
        try (SmtpClient smtp = SmtpClient.connect(server.port("smtp"))) {
            SmtpClient.expect(smtp.command("EHLO client.test"), 250);
            SmtpClient.expect(smtp.command("MAIL FROM:<app@elsewhere.example>"), 250);

            SmtpClient.Reply reply = smtp.command("RCPT TO:<bob@remote.example>");

            assertThat(reply.last()).isEqualTo("554 5.7.1 <bob@remote.example>: Relay access denied");
        }
    }

    @Test
    void localRecipientsAreStillAccepted() throws Exception {
        try (SmtpClient smtp = SmtpClient.connect(server.port("smtp"))) {
            SmtpClient.expect(smtp.command("EHLO client.test"), 250);
            SmtpClient.expect(smtp.command("MAIL FROM:<app@elsewhere.example>"), 250);

            assertThat(smtp.command("RCPT TO:<alice@" + DOMAIN + ">").code()).isEqualTo(250);
        }
    }
}
