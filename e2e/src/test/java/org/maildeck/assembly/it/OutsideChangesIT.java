package org.maildeck.assembly.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Other programs on the machine (an MDA, a script, another IMAP server) change a Maildir while
 * an IMAP client has the folder selected in Maildeck: the client is told, as RFC 3501 says, with
 * untagged EXISTS, EXPUNGE and FETCH FLAGS, and sees the files with the UIDs they got.
 *
 * <p>Each test has its own user, whose INBOX holds the messages it delivered over SMTP (UIDs 1,
 * 2, ...) before the client selects it. The timeouts are bounds for a test that would otherwise
 * hang, not speed requirements (the store looks for changes about once a second).</p>
 */
class OutsideChangesIT {

    private static final String DOMAIN = "outside.test";
    private static final String PASSWORD = "secret-Pa55";
    private static final Duration DELIVERY = Duration.ofSeconds(30);
    private static final Duration NOTICED = Duration.ofSeconds(20);

    @RegisterExtension
    static final TestServer maildeck = TestServer.shared();
    private static WebAdmin webAdmin;

    @BeforeAll
    static void onTheSharedServer() {
        webAdmin = maildeck.domain(DOMAIN).webAdmin();
    }

    @Test
    void messageDroppedIntoNewIsAnnouncedToAnIdlingClient() throws Exception {
        String user = userWithMessages("idle-drop", 1);
        try (ImapClient imap = imap(user)) {
            assertThat(imap.select("INBOX").uidNext()).isEqualTo(2);

            inbox(user).dropIntoNew(message("dropped while idling"));

            imap.idleUntil("\\* 2 EXISTS", NOTICED);
            assertThat(imap.uidSubjects()).containsExactly(Map.entry(1L, "seed 1"), Map.entry(2L, "dropped while idling"));
        }
    }

    @Test
    void messageDroppedIntoNewIsAnnouncedOnNoop() throws Exception {
        String user = userWithMessages("noop-drop", 1);
        try (ImapClient imap = imap(user)) {
            assertThat(imap.select("INBOX").uidNext()).isEqualTo(2);

            inbox(user).dropIntoNew(message("dropped between NOOPs"));

            imap.noopUntil("\\* 2 EXISTS", NOTICED);
            assertThat(imap.uidSubjects()).containsExactly(Map.entry(1L, "seed 1"), Map.entry(2L, "dropped between NOOPs"));
        }
    }

    @Test
    void fileDeletedByAnotherProgramIsAnnouncedAsExpunge() throws Exception {
        String user = userWithMessages("deleted", 2);
        try (ImapClient imap = imap(user)) {
            assertThat(imap.select("INBOX").exists()).isEqualTo(2);

            Files.delete(inbox(user).fileOf(1));

            imap.noopUntil("\\* 1 EXPUNGE", NOTICED);
            assertThat(imap.uidSubjects()).containsExactly(Map.entry(2L, "seed 2"));
        }
    }

    @Test
    void fileRenamedToAddTheSFlagIsAnnouncedAsSeen() throws Exception {
        String user = userWithMessages("renamed", 2);
        try (ImapClient imap = imap(user)) {
            imap.select("INBOX");
            assertThat(imap.uidFlags()).containsExactly(Map.entry(1L, Set.of()), Map.entry(2L, Set.of()));

            Path file = inbox(user).fileOf(1);
            String base = file.getFileName().toString().split(":", 2)[0];
            Path cur = file.getParent().getParent().resolve("cur");
            Files.move(file, cur.resolve(base + ":2,S"), StandardCopyOption.ATOMIC_MOVE);

            String fetch = imap.noopUntil("\\* 1 FETCH \\(.*FLAGS.*", NOTICED);
            assertThat(ImapClient.flagsOf(fetch)).as("flags in %s", fetch).containsExactly("\\Seen");
            assertThat(imap.uidFlags()).containsExactly(Map.entry(1L, Set.of("\\Seen")), Map.entry(2L, Set.of()));
        }
    }

    @Test
    void keywordAddedByAnotherProgramIsAnnouncedWithTheKeyword() throws Exception {
        String user = userWithMessages("keyword", 1);
        try (ImapClient imap = imap(user)) {
            imap.select("INBOX");
            assertThat(imap.uidFlags()).containsExactly(Map.entry(1L, Set.of()));

            // As Dovecot does it: the new keywords file through its lock file, then the rename.
            Path maildir = maildeck.instance().maildir(user);
            Path lock = maildir.resolve("dovecot-keywords.lock");
            Files.writeString(lock, "0 Urgent\n", UTF_8);
            Files.move(lock, maildir.resolve("dovecot-keywords"), StandardCopyOption.ATOMIC_MOVE);
            Path file = inbox(user).fileOf(1);
            String base = file.getFileName().toString().split(":", 2)[0];
            Files.move(file, maildir.resolve("cur").resolve(base + ":2,a"), StandardCopyOption.ATOMIC_MOVE);

            String fetch = imap.noopUntil("\\* 1 FETCH \\(.*FLAGS.*", NOTICED);
            assertThat(ImapClient.flagsOf(fetch)).as("flags in %s", fetch).containsExactly("Urgent");
            assertThat(imap.uidFlags()).containsExactly(Map.entry(1L, Set.of("Urgent")));
        }
    }

    @Test
    void fileDroppedIntoCurWithTheFFlagAppearsFlagged() throws Exception {
        String user = userWithMessages("flagged-drop", 1);
        try (ImapClient imap = imap(user)) {
            assertThat(imap.select("INBOX").uidNext()).isEqualTo(2);

            inbox(user).dropIntoCur(message("dropped flagged"), "F");

            imap.noopUntil("\\* 2 EXISTS", NOTICED);
            assertThat(imap.uidFlags()).containsExactly(Map.entry(1L, Set.of()), Map.entry(2L, Set.of("\\Flagged")));
            assertThat(imap.uidSubjects()).containsEntry(2L, "dropped flagged");
        }
    }

    // ---------------------------------------------------------------------------------------

    /** A new user whose INBOX holds {@code count} messages delivered over SMTP: "seed 1" has UID 1, and so on. */
    private static String userWithMessages(String localPart, int count) throws Exception {
        String user = localPart + "-" + UUID.randomUUID().toString().substring(0, 6) + "@" + DOMAIN;
        webAdmin.addUser(user, PASSWORD);
        for (int i = 1; i <= count; i++) {
            try (SmtpClient smtp = SmtpClient.connect(maildeck.port("smtp"))) {
                SmtpClient.expect(smtp.command("EHLO client.test"), 250);
                SmtpClient.expect(smtp.send("sender@client.test", List.of(user), crlf(message("seed " + i))), 250);
            }
            new Mailbox(maildeck.instance(), user, PASSWORD).awaitSubject("seed " + i, DELIVERY);
        }
        return user;
    }

    private static ImapClient imap(String user) throws Exception {
        return ImapClient.login("Maildeck", maildeck.port("imap"), user, PASSWORD);
    }

    private static MaildirFiles inbox(String user) {
        return new MaildirFiles(maildeck.instance().maildir(user));
    }

    /** A message as an MDA writes it: LF line ends. */
    private static byte[] message(String subject) {
        return ("From: sender@client.test\n"
            + "To: someone@" + DOMAIN + "\n"
            + "Subject: " + subject + "\n"
            + "Message-ID: <" + UUID.randomUUID() + "@client.test>\n"
            + "\n"
            + "Hello.\n").getBytes(UTF_8);
    }

    private static byte[] crlf(byte[] message) {
        return new String(message, UTF_8).replace("\n", "\r\n").getBytes(UTF_8);
    }
}
