package org.maildeck.assembly.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One login throttle for SMTP AUTH, IMAP and POP3 (auththrottle.properties): failures over any
 * protocol count toward one lockout per client address, and a locked-out address has not even
 * its right password accepted, over any protocol, until the lockout ends. Each test is another
 * client address (127.0.0.x), so the tests do not lock each other out.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class LoginThrottleIT {

    private static final String DOMAIN = "throttle.maildeck.test";
    private static final String USER = "alice@" + DOMAIN;
    private static final String PASSWORD = "Correct-Horse-7";
    private static final int MAX_FAILURES = 3;
    private static final Duration LOCKOUT = Duration.ofSeconds(15);
    // Enough failures to lock out under any setting: the SMTP test stops at the first 421.
    private static final int ENOUGH_SMTP_FAILURES = 10;
    private static final String IMAP_LOCKED_OUT = "NO [UNAVAILABLE] Too many failed authentication attempts; try again later";
    private static final String POP3_LOCKED_OUT = "-ERR [SYS/TEMP] Too many failed authentication attempts; try again later";

    /** Of its own: the tests lock addresses out of logging in, which every class on the server would see. */
    @RegisterExtension
    static final TestServer maildeck = TestServer.own((fileName, content) -> switch (fileName) {
        case "auththrottle.properties" -> content
            .replace("#failureDelay=1s", "failureDelay=50ms")
            .replace("#maxFailureDelay=8s", "maxFailureDelay=200ms")
            .replace("#maxFailures=5", "maxFailures=" + MAX_FAILURES)
            .replace("#lockout=10m", "lockout=" + LOCKOUT.toSeconds() + "s");
        default -> content;
    });
    private static MaildeckInstance server;

    @BeforeAll
    static void setUp() {
        server = maildeck.instance();
        maildeck.domain(DOMAIN).webAdmin().addUser(USER, PASSWORD);
    }

    @Test
    void anAddressLockedOutOnSmtpHasItsRightPasswordRefusedOverImap() throws Exception {
        String attacker = "127.0.0.41";
        lockOutOverSmtp(attacker);

        String reply = imapLogin(attacker, PASSWORD);
        String otherClient = imapLogin("127.0.0.42", PASSWORD);

        assertThat(reply).endsWith(IMAP_LOCKED_OUT);
        assertThat(otherClient).as("another address is not affected").matches("^\\S+ OK.*");
        server.awaitMailLog(Pattern.compile(Pattern.quote("warning: unknown[" + attacker + "]: login refused: locked out until ")
            + ".*" + Pattern.quote(" after too many failed authentication attempts, sasl_username=" + USER + ", proto=IMAP")),
            Duration.ofSeconds(10));
    }

    @Test
    void anAddressLockedOutOnSmtpHasItsRightPasswordRefusedOverManageSieve() throws Exception {
        String attacker = "127.0.0.45";
        lockOutOverSmtp(attacker);

        try (ManageSieveWire wire = ManageSieveWire.connectFrom(attacker, server.port("managesieve"))) {
            wire.startTls();
            assertThat(ManageSieveWire.last(wire.authenticate(USER, PASSWORD))).startsWith("NO (TRYLATER)");
        }
        try (ManageSieveWire other = ManageSieveWire.connectFrom("127.0.0.46", server.port("managesieve"))) {
            other.startTls();
            assertThat(ManageSieveWire.last(other.authenticate(USER, PASSWORD))).as("another address").startsWith("OK");
        }
    }

    @Test
    void manageSieveFailuresCountTowardTheLockoutAndAreLoggedNamingIt() throws Exception {
        String attacker = "127.0.0.47";
        for (int i = 0; i < MAX_FAILURES; i++) {
            try (ManageSieveWire wire = ManageSieveWire.connectFrom(attacker, server.port("managesieve"))) {
                wire.startTls();
                assertThat(ManageSieveWire.last(wire.authenticate(USER, "guess-" + i))).as("wrong password %d", i + 1).startsWith("NO");
            }
        }

        assertThat(imapLogin(attacker, PASSWORD)).endsWith(IMAP_LOCKED_OUT);
        server.awaitMailLog(Pattern.compile(Pattern.quote("warning: unknown[" + attacker + "]: SASL authentication failed: authentication failure, sasl_username="
            + USER + ", failures=1, proto=MANAGESIEVE")), Duration.ofSeconds(10));
    }

    @Test
    void imapFailuresLockTheAddressOutOfPop3AndSmtp() throws Exception {
        String attacker = "127.0.0.43";
        for (int i = 0; i < MAX_FAILURES; i++) {
            assertThat(imapLogin(attacker, "guess-" + i)).as("wrong password %d", i + 1).doesNotContain(" OK ");
        }

        String pop3 = pop3Login(attacker, PASSWORD);
        Swaks.Run smtp = Swaks.to(server.port("submission")).from(attacker).startTls()
            .auth("PLAIN", USER, PASSWORD).quitAfter("AUTH").run();

        assertThat(pop3).isEqualTo(POP3_LOCKED_OUT);
        assertThat(smtp.serverSaid("454 4.7.0 Too many failed authentication attempts; try again later")).as("%s", smtp).isTrue();
    }

    @Test
    void pop3FailuresLockTheAddressOutOfImap() throws Exception {
        String attacker = "127.0.0.44";
        String first = pop3Login(attacker, "guess-1");
        for (int i = 1; i < MAX_FAILURES; i++) {
            pop3Login(attacker, "guess-" + (i + 1));
        }

        String imap = imapLogin(attacker, PASSWORD);

        assertThat(imap).endsWith(IMAP_LOCKED_OUT);
        assertThat(first).as("dovecot's words, RFC 3206's code").isEqualTo("-ERR [AUTH] Authentication failed.");
    }

    @Test
    void imapAuthenticateFailuresCountAndAreRefusedDuringTheLockout() throws Exception {
        String attacker = "127.0.0.47";
        for (int i = 0; i < MAX_FAILURES; i++) {
            assertThat(imapAuthenticatePlain(attacker, "guess-" + i)).as("wrong password %d", i + 1).doesNotContain(" OK ");
        }

        String imap = imapAuthenticatePlain(attacker, PASSWORD);
        String pop3 = pop3Login(attacker, PASSWORD);

        assertThat(imap).endsWith(IMAP_LOCKED_OUT);
        assertThat(pop3).isEqualTo(POP3_LOCKED_OUT);
    }

    @Test
    void theLockoutEndsAfterItsDuration() throws Exception {
        String attacker = "127.0.0.45";
        for (int i = 0; i < MAX_FAILURES; i++) {
            pop3Login(attacker, "guess-" + i);
        }
        assertThat(imapLogin(attacker, PASSWORD)).as("during the lockout").endsWith(IMAP_LOCKED_OUT);

        Thread.sleep(LOCKOUT.plusSeconds(1).toMillis());

        assertThat(imapLogin(attacker, PASSWORD)).as("IMAP after the lockout").matches("^\\S+ OK.*");
        assertThat(pop3Login(attacker, PASSWORD)).as("POP3 after the lockout").startsWith("+OK");
    }

    @Test
    void failuresAndRefusalsAreCountedPerProtocolAndLoggedNamingIt() throws Exception {
        String attacker = "127.0.0.46";
        long pop3Failures = MaildeckJmx.attribute(server, "org.maildeck:type=Login,protocol=POP3", "FailuresTotal");
        long imapRefusals = MaildeckJmx.attribute(server, "org.maildeck:type=Login,protocol=IMAP", "LockedOutRefusalsTotal");
        long lockouts = MaildeckJmx.attribute(server, "org.maildeck:type=Login,protocol=SMTP", "LockoutsTotal");

        for (int i = 0; i < MAX_FAILURES; i++) {
            pop3Login(attacker, "guess-" + i);
        }
        imapLogin(attacker, PASSWORD);

        assertThat(MaildeckJmx.attribute(server, "org.maildeck:type=Login,protocol=POP3", "FailuresTotal") - pop3Failures)
            .isEqualTo(MAX_FAILURES);
        assertThat(MaildeckJmx.attribute(server, "org.maildeck:type=Login,protocol=IMAP", "LockedOutRefusalsTotal") - imapRefusals)
            .isEqualTo(1);
        assertThat(MaildeckJmx.attribute(server, "org.maildeck:type=Login,protocol=SMTP", "LockoutsTotal") - lockouts)
            .as("one lockout, whatever the protocol").isEqualTo(1);
        server.awaitMailLog(Pattern.compile(Pattern.quote("warning: unknown[" + attacker + "]: SASL authentication failed: "
            + "authentication failure, sasl_username=" + USER + ", failures=1, proto=POP3")), Duration.ofSeconds(10));
        server.awaitMailLog(Pattern.compile(Pattern.quote("warning: unknown[" + attacker + "]: " + MAX_FAILURES
            + " failed authentication attempts; all logins locked out for PT15S, proto=POP3")), Duration.ofSeconds(10));
    }

    /** Wrong SMTP AUTH passwords from {@code client} until the server ends the session with 421. */
    private static void lockOutOverSmtp(String client) throws Exception {
        Swaks wrong = Swaks.to(server.port("submission")).from(client).startTls().auth("PLAIN", USER, "guess").quitAfter("AUTH");
        for (int i = 0; i < ENOUGH_SMTP_FAILURES; i++) {
            Swaks.Run run = wrong.run();
            if (run.serverSaid("421 4.7.0 Too many failed authentication attempts")) {
                return;
            }
            assertThat(run.serverSaid("535 5.7.8")).as("%s", run).isTrue();
        }
        throw new AssertionError(client + " not locked out after " + ENOUGH_SMTP_FAILURES + " failed SMTP AUTHs");
    }

    /** The tagged reply to LOGIN from {@code client}, on a connection of its own. */
    private static String imapLogin(String client, String password) throws IOException {
        try (ImapClient imap = ImapClient.connectFrom("Maildeck", client, server.port("imap"))) {
            ImapClient.Response response = imap.send("LOGIN " + ImapClient.quote(USER) + " " + ImapClient.quote(password));
            return response.tagged();
        }
    }

    /** The tagged reply to {@code AUTHENTICATE PLAIN} with an initial response (SASL-IR) from {@code client}. */
    private static String imapAuthenticatePlain(String client, String password) throws IOException {
        String credentials = Base64.getEncoder().encodeToString(("\0" + USER + "\0" + password).getBytes(StandardCharsets.UTF_8));
        try (ImapClient imap = ImapClient.connectFrom("Maildeck", client, server.port("imap"))) {
            return imap.send("AUTHENTICATE PLAIN " + credentials).tagged();
        }
    }

    /** The reply to PASS after USER from {@code client}, on a connection of its own. */
    private static String pop3Login(String client, String password) throws IOException {
        try (Pop3Client pop3 = Pop3Client.connectFrom(client, server.port("pop3"))) {
            pop3.single("USER " + USER);
            return pop3.command("PASS " + password);
        }
    }
}
