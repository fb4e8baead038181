package org.maildeck.assembly.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;

/**
 * The server remembers which domains are local, which users exist and the rewrites of each
 * address (RememberingDomainList, RememberingUsersRepository, RememberingRewriteTable): a
 * change must count from the next RCPT on, whatever was asked before it. Asked from an
 * untrusted client, for which a domain that is not local is a relay attempt, and an unknown
 * address of a local domain is unknown: both refused.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class LocalRecipientChangesIT {

    @RegisterExtension
    static final TestServer maildeck = TestServer.shared();

    @Test
    void rcptForADomainAddedAfterARefusalIsAccepted() throws Exception {
        assertThat(rcptFromOutside("ann@added-late.test").code()).isBetween(500, 599);

        maildeck.webAdmin().addDomain("added-late.test").addUser("ann@added-late.test", "secret-Pa55");

        assertThat(rcptFromOutside("ann@added-late.test").code()).isEqualTo(250);
    }

    @Test
    void rcptForADomainRemovedAfterAnAcceptanceIsRefused() throws Exception {
        maildeck.webAdmin().addDomain("removed-soon.test").addUser("bob@removed-soon.test", "secret-Pa55");
        assertThat(rcptFromOutside("bob@removed-soon.test").code()).isEqualTo(250);

        maildeck.webAdmin().removeUser("bob@removed-soon.test").removeDomain("removed-soon.test");

        assertThat(rcptFromOutside("bob@removed-soon.test").code()).isBetween(500, 599);
    }

    @Test
    void rcptForAUserAddedAfterARefusalIsAccepted() throws Exception {
        maildeck.webAdmin().addDomain("users-added.test");
        assertThat(rcptFromOutside("carol@users-added.test").code()).isBetween(500, 599);

        maildeck.webAdmin().addUser("carol@users-added.test", "secret-Pa55");

        assertThat(rcptFromOutside("carol@users-added.test").code()).isEqualTo(250);
    }

    @Test
    void rcptForAUserRemovedAfterAnAcceptanceIsRefused() throws Exception {
        maildeck.webAdmin().addDomain("users-removed.test").addUser("dave@users-removed.test", "secret-Pa55");
        assertThat(rcptFromOutside("dave@users-removed.test").code()).isEqualTo(250);

        maildeck.webAdmin().removeUser("dave@users-removed.test");

        assertThat(rcptFromOutside("dave@users-removed.test").code()).isBetween(500, 599);
    }

    @Test
    void rcptForAnAliasAddedAfterARefusalIsAccepted() throws Exception {
        maildeck.webAdmin().addDomain("alias-added.test").addUser("erin@alias-added.test", "secret-Pa55");
        assertThat(rcptFromOutside("sales@alias-added.test").code()).isBetween(500, 599);

        maildeck.webAdmin().addAlias("sales@alias-added.test", "erin@alias-added.test");

        assertThat(rcptFromOutside("sales@alias-added.test").code()).isEqualTo(250);
    }

    private static SmtpClient.Reply rcptFromOutside(String recipient) throws Exception {
        try (SmtpClient smtp = SmtpClient.connectFrom("127.0.0.2", maildeck.port("smtp"))) {
            SmtpClient.expect(smtp.command("EHLO client.test"), 250);
            SmtpClient.expect(smtp.command("MAIL FROM:<someone@client.test>"), 250);
            SmtpClient.Reply reply = smtp.command("RCPT TO:<" + recipient + ">");
            System.out.println("[LocalRecipientChangesIT] RCPT TO:<" + recipient + "> -> " + reply);
            return reply;
        }
    }
}
