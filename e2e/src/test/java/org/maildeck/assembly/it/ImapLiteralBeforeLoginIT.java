package org.maildeck.assembly.it;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The unauthenticated vector of CVE-2024-37358 (IMAP literal abuse) as the attack was seen: eight
 * clients each announce a 48 MiB literal in LOGIN, under the listener's 50 MiB literalSizeLimit,
 * and send it. The server runs with a small heap so that, without a limit before login, the
 * attack exhausts it within the test's time. Before authentication a literal may have at most
 * 8 KiB (James 3.8.2's rule); larger ones are refused on the announcement, before any byte of
 * them is sent.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ImapLiteralBeforeLoginIT {

    private static final String DOMAIN = "literal.test";
    private static final String PASSWORD = "secret-Pa55";
    private static final int ATTACKERS = 8;
    private static final int LITERAL = 48 * 1024 * 1024;
    private static final Duration ATTACK_TIME = Duration.ofMinutes(2);
    private static final Duration CLEANUP = Duration.ofSeconds(5);

    /** Of its own: a small heap, so that a missing limit shows as memory running out. */
    @RegisterExtension
    static final TestServer maildeck = TestServer.own(
        () -> MaildeckInstance.create().javaOptions("-Xmx256m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC"));
    private static MaildeckInstance server;
    private static String user;

    @BeforeAll
    static void setUp() {
        server = maildeck.instance();
        user = "u1@" + DOMAIN;
        maildeck.domain(DOMAIN).webAdmin().addUser(user, PASSWORD);
    }

    @Test
    void eightLoginsWithA48MegabyteLiteralAreRefusedAndTheServerServesOthers() throws Exception {
        byte[] literal = new byte[LITERAL];
        Arrays.fill(literal, (byte) 'x');
        List<ImapWire.Reply> replies = new ArrayList<>();
        ExecutorService attackers = Executors.newFixedThreadPool(ATTACKERS);
        try {
            List<Future<ImapWire.Reply>> attacks = new ArrayList<>();
            for (int i = 0; i < ATTACKERS; i++) {
                attacks.add(attackers.submit(() -> {
                    try (ImapWire imap = ImapWire.connect(server.port("imap"))) {
                        return imap.commandWithLiteral("LOGIN ", literal, " " + PASSWORD);
                    }
                }));
            }
            for (Future<ImapWire.Reply> attack : attacks) {
                replies.add(attack.get(ATTACK_TIME.toSeconds(), TimeUnit.SECONDS));
            }
        } finally {
            attackers.shutdownNow();
        }

        SoftAssertions softly = new SoftAssertions();
        softly.assertThat(replies).as("replies to LOGIN {%d}", LITERAL)
            .allSatisfy(reply -> assertThat(reply.tagged()).as("tagged reply").matches("\\S+ BAD \\[TOOBIG\\] .*"));
        softly.assertThat(loginAndSelectInbox()).as("another client can LOGIN and SELECT INBOX").isTrue();
        String log = server.serverLog();
        softly.assertThat(log).as("server log").doesNotContain("OutOfMemoryError").doesNotContain("NoSuchFileException");
        softly.assertThat(server.imapSpoolFilesLeft(CLEANUP)).as("literals spooled to %s and left there", server.data().resolve("tmp")).isEmpty();
        softly.assertAll();
    }

    /** After login the listener's own limit applies: a literal larger than inMemorySizeLimit (1 MiB) is spooled to a file. */
    @Test
    void aSpooledAppendAfterLoginIsStoredAndItsTempFileRemoved() throws Exception {
        byte[] message = ("Subject: two megabytes\r\n\r\n" + "y".repeat(2 * 1024 * 1024) + "\r\n").getBytes(US_ASCII);
        try (ImapWire imap = ImapWire.login(server.port("imap"), user, PASSWORD)) {
            ImapWire.Reply append = imap.commandWithLiteral("APPEND INBOX ", message, "");
            assertThat(append.isOk()).as("APPEND of %d bytes: %s", message.length, append).isTrue();
        }
        assertThat(server.imapSpoolFilesLeft(CLEANUP)).as("literals spooled to %s and left there", server.data().resolve("tmp")).isEmpty();
        assertThat(server.serverLog()).as("server log").doesNotContain("NoSuchFileException");
    }

    @Test
    void aLiteralOfAFewKilobytesBeforeLoginIsStillAccepted() throws Exception {
        byte[] password = PASSWORD.getBytes(US_ASCII);
        try (ImapWire imap = ImapWire.connect(server.port("imap"))) {
            ImapWire.Reply login = imap.commandWithLiteral("LOGIN " + user + " ", password, "");
            assertThat(login.isOk()).as("LOGIN with the password as a literal: %s", login).isTrue();
        }
    }

    private static boolean loginAndSelectInbox() {
        try (ImapWire imap = ImapWire.login(server.port("imap"), user, PASSWORD)) {
            imap.ok("SELECT INBOX");
            return true;
        } catch (IOException | AssertionError e) {
            return false;
        }
    }
}
