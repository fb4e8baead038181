package org.maildeck.assembly.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * SpfHook's other choices: fail and temperror accepted (only marked), permerror refused at RCPT
 * rather than MAIL. Same zone and client as {@link SpfIT}, its own DNS address (127.0.4.53).
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class SpfOtherPolicyIT {

    private static final String DNS_ADDRESS = "127.0.4.53";

    private static TestDnsServer dns;
    private static MaildeckInstance server;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "port 53 needs root");
        dns = SpfIT.zone(DNS_ADDRESS);
        server = SpfIT.serverWith(DNS_ADDRESS, spfOn -> spfOn
            .replace("<onFail>reject</onFail>", "<onFail>accept</onFail>")
            .replace("<onTempError>tempfail</onTempError>", "<onTempError>accept</onTempError>")
            .replace("<onPermError>accept</onPermError>", "<onPermError>reject</onPermError>")
            .replace("<refuseAt>mail</refuseAt>", "<refuseAt>rcpt</refuseAt>"));
    }

    @AfterAll
    static void stop() throws Exception {
        ClassScopedResources.closeAll(server, dns);
    }

    @Test
    void failIsAcceptedAndMarkedWhenConfigured() throws Exception {
        String sender = "eve-" + SpfIT.marker() + "@fail.spf.test";

        assertThat(SpfIT.deliveredAuthenticationResults(server, sender, "client.spf.test"))
            .singleElement().asString().contains("spf=fail smtp.mailfrom=" + sender);
    }

    @Test
    void temperrorIsAcceptedAndMarkedWhenConfigured() throws Exception {
        String sender = "bob-" + SpfIT.marker() + "@temperror.spf.test";

        assertThat(SpfIT.deliveredAuthenticationResults(server, sender, "client.spf.test"))
            .singleElement().asString().contains("spf=temperror smtp.mailfrom=" + sender);
    }

    @Test
    void permerrorIsRefusedAtRcptWhenConfigured() throws Exception {
        try (SmtpClient smtp = SmtpClient.connectFrom(SpfIT.CLIENT, server.port("smtp"))) {
            SmtpClient.expect(smtp.command("EHLO client.spf.test"), 250);
            SmtpClient.expect(smtp.command("MAIL FROM:<bob-" + SpfIT.marker() + "@syntax.spf.test>"), 250);

            SmtpClient.Reply reply = smtp.command("RCPT TO:<" + SpfIT.USER + ">");

            assertThat(reply.code()).as("%s", reply).isEqualTo(550);
            assertThat(reply.toString()).contains("5.7.24 SPF validation error");
        }
    }
}
