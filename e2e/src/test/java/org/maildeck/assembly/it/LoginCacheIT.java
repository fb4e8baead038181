package org.maildeck.assembly.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Remembered logins (usersrepository.xml {@code loginCacheTtl}) never outlive the password or
 * the account they were verified against: each test logs in once so that the login is
 * remembered, changes the account, and logs in again at once.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class LoginCacheIT {

    private static final String DOMAIN = "logincache.maildeck.test";
    private static final String NEW_PASSWORD = "changed-Pa55word";
    /** An address of its own, so that its few failed logins meet no other class's in the login throttle. */
    private static final String CLIENT = "127.0.0.37";

    @RegisterExtension
    static final TestServer maildeck = TestServer.shared();

    @Test
    void aRememberedLoginIsStillAccepted() throws IOException {
        String user = maildeck.domain(DOMAIN).newUser("kept", DOMAIN);
        assertThat(imapLogin(user, TestServer.PASSWORD)).contains(" OK ");

        assertThat(imapLogin(user, TestServer.PASSWORD)).contains(" OK ");
    }

    @Test
    void theOldPasswordIsRefusedRightAfterPasswd() throws IOException {
        String user = maildeck.domain(DOMAIN).newUser("changed", DOMAIN);
        assertThat(imapLogin(user, TestServer.PASSWORD)).contains(" OK ");

        MaildeckInstance.Result passwd = maildeck.instance().maildeckWithInput(NEW_PASSWORD + "\n", "user", "passwd", "--password-stdin", user);

        assertThat(passwd.exitCode()).as("%s", passwd).isZero();
        assertThat(imapLogin(user, TestServer.PASSWORD)).contains(" NO ");
        assertThat(imapLogin(user, NEW_PASSWORD)).contains(" OK ");
    }

    @Test
    void aPasswordRefusedBeforePasswdIsAcceptedOnceItIsTheNewOne() throws IOException {
        String user = maildeck.domain(DOMAIN).newUser("refusedfirst", DOMAIN);
        assertThat(imapLogin(user, NEW_PASSWORD)).contains(" NO ");

        maildeck.instance().maildeckWithInput(NEW_PASSWORD + "\n", "user", "passwd", "--password-stdin", user);

        assertThat(imapLogin(user, NEW_PASSWORD)).contains(" OK ");
    }

    @Test
    void aRemovedUserCannotLogInWithItsRememberedPassword() throws IOException {
        String user = maildeck.domain(DOMAIN).newUser("removed", DOMAIN);
        assertThat(imapLogin(user, TestServer.PASSWORD)).contains(" OK ");

        maildeck.webAdmin().removeUser(user);

        assertThat(imapLogin(user, TestServer.PASSWORD)).contains(" NO ");
    }

    /** The tagged reply to LOGIN, on a connection of its own. */
    private static String imapLogin(String user, String password) throws IOException {
        try (ImapClient imap = ImapClient.connectFrom("Maildeck", CLIENT, maildeck.port("imap"))) {
            return imap.send("LOGIN " + ImapClient.quote(user) + " " + ImapClient.quote(password)).tagged();
        }
    }
}
