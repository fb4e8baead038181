package org.maildeck.assembly.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An smtpserver.xml written before the SMTP hooks moved from {@code org.maildeck.mailets.smtp}
 * to {@code org.maildeck.mailets.smtpd} (an admin's edited copy survives the package upgrade)
 * still starts the server with every handler it names, and the log says what to rename.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class RenamedHooksIT {

    private static final String DOMAIN = "renamed.maildeck.test";

    /** Of its own: its configuration names the handlers by their old names. */
    @RegisterExtension
    static final TestServer maildeck = TestServer.own((fileName, content) -> fileName.equals("smtpserver.xml")
        ? content.replace("org.maildeck.mailets.smtpd.", "org.maildeck.mailets.smtp.")
        : content);

    @Test
    void theRelayPolicyLoadedByItsOldNameLetsTheTrustedNetworksRelay() throws Exception {
        // without a loaded RelayPolicy the command set's backstop refuses this (RelayBackstopIT)
        try (SmtpClient smtp = SmtpClient.connect(maildeck.port("smtp"))) {
            SmtpClient.expect(smtp.command("EHLO client.test"), 250);
            SmtpClient.expect(smtp.command("MAIL FROM:<app@elsewhere.example>"), 250);

            assertThat(smtp.command("RCPT TO:<bob@remote.example>").code()).isEqualTo(250);

            SmtpClient.expect(smtp.command("RSET"), 250);
        }
    }

    @Test
    void mailForALocalUserIsDeliveredThroughTheOldNamedChain() throws Exception {
        maildeck.domain(DOMAIN);
        String user = maildeck.newUser("carol", DOMAIN);
        byte[] message = ("Subject: renamed hooks\r\n\r\nstill delivered\r\n").getBytes(UTF_8);

        SmtpClient.deliver(maildeck.port("smtp"), "app@elsewhere.example", List.of(user), message);

        assertThat(MaildirOnDisk.awaitMessageContaining(maildeck.instance().maildir(user), Duration.ofSeconds(60),
            "still delivered")).isPresent();
    }

    @Test
    void theLogNamesEachOldNameWithItsNewOne() throws Exception {
        maildeck.instance().awaitLog("org.maildeck.mailets.smtp.RelayPolicy is now called org.maildeck.mailets.smtpd.RelayPolicy",
            Duration.ofSeconds(10));
    }
}
