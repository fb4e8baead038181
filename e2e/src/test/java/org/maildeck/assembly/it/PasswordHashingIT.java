package org.maildeck.assembly.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code maildeck user passwd} hashes the new password with the algorithm usersrepository.xml
 * names now, not with the parameters the account was created with (dovecot's
 * default_pass_scheme applies to every password set after it changed).
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class PasswordHashingIT {

    private static final String DOMAIN = "hashing.maildeck.test";
    /** The tests' instances hash with 1,000 iterations (MaildeckInstance); the admin then asks for 2,000. */
    private static final String CHANGED_ALGORITHM = "PBKDF2-SHA512-2000-512";

    /** Of its own: the test changes its configuration and restarts it. */
    @RegisterExtension
    static final TestServer maildeck = TestServer.own();

    @Test
    void aPasswordChangedAfterTheAlgorithmChangedIsHashedWithTheNewOne() throws Exception {
        MaildeckInstance server = maildeck.instance();
        String user = maildeck.domain(DOMAIN).newUser("rehashed", DOMAIN);
        String before = storedAlgorithmAfterStopping(server, user);
        Path configuration = server.conf().resolve("usersrepository.xml");
        Files.writeString(configuration, Files.readString(configuration)
            .replaceFirst("<algorithm>[^<]*</algorithm>", "<algorithm>" + CHANGED_ALGORITHM + "</algorithm>"));
        server.start();

        MaildeckInstance.Result passwd = server.maildeckWithInput("new-Pa55word\n", "user", "passwd", "--password-stdin", user);

        assertThat(passwd.exitCode()).as("%s", passwd).isZero();
        assertThat(imapLogin(server, user, "new-Pa55word")).contains(" OK ");
        assertThat(imapLogin(server, user, TestServer.PASSWORD)).contains(" NO ");
        assertThat(before).isNotEqualTo(CHANGED_ALGORITHM);
        assertThat(storedAlgorithmAfterStopping(server, user)).isEqualTo(CHANGED_ALGORITHM);
    }

    private static String imapLogin(MaildeckInstance server, String user, String password) throws IOException {
        try (ImapClient imap = ImapClient.connectFrom("Maildeck", "127.0.0.1", server.port("imap"))) {
            return imap.send("LOGIN " + ImapClient.quote(user) + " " + ImapClient.quote(password)).tagged();
        }
    }

    /** Stops the server (its embedded Derby takes the database for itself) and reads the account's hashing algorithm. */
    private static String storedAlgorithmAfterStopping(MaildeckInstance server, String user) throws SQLException {
        server.stop();
        String database = "jdbc:derby:" + server.data().resolve("derby");
        try (Connection connection = DriverManager.getConnection(database);
             PreparedStatement query = connection.prepareStatement(
                 "SELECT PASSWORD_HASH_ALGORITHM FROM JAMES_USER WHERE USER_NAME = ?")) {
            query.setString(1, user);
            try (ResultSet row = query.executeQuery()) {
                assertThat(row.next()).as("a row for %s", user).isTrue();
                return row.getString(1);
            }
        } finally {
            try {
                DriverManager.getConnection(database + ";shutdown=true").close();
            } catch (SQLException shutDown) {
                // Derby answers a database shutdown with this exception (SQL state 08006)
            }
        }
    }
}
