package org.maildeck.assembly.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Maildeck and Dovecot 2.3 serve the same Maildir++ tree, in turn or side by side, and agree on
 * it: UIDVALIDITY, UIDs, flags and keywords, folder names, subscriptions. A mail system can
 * switch from one to the other without any client downloading its mail again.
 *
 * <p>One Maildeck instance serves every test; a test that needs Dovecot starts a private one
 * ({@link DovecotInstance}) on Maildeck's mail root, for its own user. Dovecot never accesses mail
 * as root, so before it reads what Maildeck (root) wrote, the mail root is handed to Dovecot's
 * account ({@link DovecotInstance#shareMailRoot()}; {@code start} does it too). Flags are compared
 * without {@code \Recent}, which belongs to a session, not to a message.</p>
 *
 * <p>Needs Dovecot ({@code dovecot-imapd}, which scripts/test installs): without it the tests
 * fail.</p>
 */
class DovecotInteropIT {

    private static final String DOMAIN = "interop.test";
    private static final String PASSWORD = "secret-Pa55";
    private static final Duration DELIVERY = Duration.ofSeconds(30);
    /** "Entwürfe" in modified UTF-7, as IMAP puts it on the wire (RFC 3501 5.1.3). */
    private static final String ENTWUERFE = "Entw&APw-rfe";
    /** "Gelöscht" in modified UTF-7. */
    private static final String GELOESCHT = "Gel&APY-scht";

    private static Path shared;
    private static MaildeckInstance maildeck;
    private static WebAdmin webAdmin;
    private static boolean maildeckRunning;

    private DovecotInstance dovecot;

    @BeforeAll
    static void startMaildeck() {
        assertThat(DovecotInstance.available())
            .as("%s is missing: these tests need Dovecot's IMAP server (Debian package dovecot-imapd; scripts/test installs it)",
                DovecotInstance.DOVECOT)
            .isTrue();
        // Under the system's temporary directory: Dovecot's unprivileged processes must reach the
        // mail root, and a checkout may live in a directory only its owner can enter.
        shared = sharedDirectory();
        maildeck = MaildeckInstance.createWithMailRoot(shared.resolve("mail")).start();
        maildeckRunning = true;
        webAdmin = new WebAdmin(maildeck).addDomain(DOMAIN);
    }

    @AfterEach
    void stopDovecotAndRestartMaildeck() {
        if (dovecot != null) {
            dovecot.close();
            dovecot = null;
        }
        if (!maildeckRunning) {
            startMaildeckAgain();
        }
    }

    @AfterAll
    static void stopMaildeck() throws IOException {
        if (maildeck != null) {
            maildeck.close();
        }
        if (shared != null) {
            try (java.util.stream.Stream<Path> tree = Files.walk(shared)) {
                for (Path path : (Iterable<Path>) tree.sorted(java.util.Comparator.reverseOrder())::iterator) {
                    Files.deleteIfExists(path);
                }
            }
        }
    }

    /** A new directory under the system's temporary one that Dovecot's unprivileged processes can enter. */
    static Path sharedDirectory() {
        try {
            Path directory = Files.createTempDirectory("maildeck-interop-");
            Files.setPosixFilePermissions(directory, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            return directory;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    // ------------------------------------------------------------------ switching servers

    @Test
    void messagesFlaggedInMaildeckAreListedByDovecotWithTheSameUidsFlagsAndKeywords() throws Exception {
        String user = newUser("to-dovecot");
        for (int i = 1; i <= 5; i++) {
            deliverOverSmtp(user, "message " + i);
        }
        Map<Long, Set<String>> flagged = Map.of(
            1L, Set.of("\\Seen"),
            2L, Set.of("\\Flagged"),
            3L, Set.of("\\Answered", "\\Seen"),
            4L, Set.of("\\Deleted"),
            5L, Set.of("$Label1", "Work"));
        long uidValidity;
        try (ImapClient imap = maildeckImap(user)) {
            uidValidity = imap.select("INBOX").uidValidity();
            imap.command("UID STORE 1 +FLAGS.SILENT (\\Seen)");
            imap.command("UID STORE 2 +FLAGS.SILENT (\\Flagged)");
            imap.command("UID STORE 3 +FLAGS.SILENT (\\Answered \\Seen)");
            imap.command("UID STORE 4 +FLAGS.SILENT (\\Deleted)");
            imap.command("UID STORE 5 +FLAGS.SILENT ($Label1 Work)");
            assertThat(imap.uidFlags()).as("Maildeck's own view").isEqualTo(flagged);
        }

        stopMaildeckForSwitchOver();
        dovecot = startDovecot(user);
        try (ImapClient imap = dovecotImap(user)) {
            ImapClient.Selected inbox = imap.select("INBOX");
            assertThat(inbox.uidValidity()).as("UIDVALIDITY").isEqualTo(uidValidity);
            assertThat(imap.uidFlags()).as("UIDs and flags, \\Deleted not expunged").isEqualTo(flagged);
        }
    }

    @Test
    void messagesAppendedFlaggedMovedAndExpungedInDovecotAreSeenByMaildeckWithDovecotsUids() throws Exception {
        String user = newUser("from-dovecot");
        stopMaildeckForSwitchOver();
        dovecot = startDovecot(user);
        ImapClient.Selected dovecotInbox;
        ImapClient.Selected dovecotArchive;
        Map<Long, Set<String>> dovecotInboxFlags;
        Map<Long, Set<String>> dovecotArchiveFlags;
        long movedTo;
        try (ImapClient imap = dovecotImap(user)) {
            imap.command("CREATE Archive");
            assertThat(ImapClient.appendedUid(imap.append("INBOX", "\\Seen $Label1", crlfMessage(user, "one")))).isEqualTo(1);
            assertThat(ImapClient.appendedUid(imap.append("INBOX", "\\Flagged Work", crlfMessage(user, "two")))).isEqualTo(2);
            assertThat(ImapClient.appendedUid(imap.append("INBOX", "", crlfMessage(user, "three")))).isEqualTo(3);
            assertThat(ImapClient.appendedUid(imap.append("INBOX", "\\Draft", crlfMessage(user, "four")))).isEqualTo(4);
            assertThat(ImapClient.appendedUid(imap.append("INBOX", "", crlfMessage(user, "five")))).isEqualTo(5);
            imap.select("INBOX");
            imap.command("UID STORE 3 +FLAGS.SILENT (\\Answered Work)");
            imap.command("UID STORE 1 -FLAGS.SILENT (\\Seen)");
            ImapClient.Response move = imap.command("UID MOVE 2 Archive");
            // [COPYUID <target uidvalidity> <source uids> <target uids>]
            movedTo = Long.parseLong(move.code("COPYUID").split(" ")[2]);
            imap.command("UID STORE 5 +FLAGS.SILENT (\\Deleted)");
            imap.command("UID EXPUNGE 5");

            dovecotInbox = imap.select("INBOX");
            dovecotInboxFlags = imap.uidFlags();
            dovecotArchive = imap.select("Archive");
            dovecotArchiveFlags = imap.uidFlags();
        }
        assertThat(dovecotInboxFlags).as("Dovecot's own view of INBOX").isEqualTo(Map.of(
            1L, Set.of("$Label1"),
            3L, Set.of("\\Answered", "Work"),
            4L, Set.of("\\Draft")));
        assertThat(dovecotArchiveFlags).as("Dovecot's own view of Archive").isEqualTo(Map.of(movedTo, Set.of("\\Flagged", "Work")));
        dovecot.close();
        dovecot = null;

        startMaildeckAgain();
        try (ImapClient imap = maildeckImap(user)) {
            ImapClient.Selected inbox = imap.select("INBOX");
            assertThat(inbox.uidValidity()).as("INBOX UIDVALIDITY").isEqualTo(dovecotInbox.uidValidity());
            assertThat(imap.uidFlags()).as("INBOX: UID 2 moved away, UID 5 expunged").isEqualTo(dovecotInboxFlags);
            assertThat(inbox.uidNext()).as("INBOX UIDNEXT").isGreaterThanOrEqualTo(dovecotInbox.uidNext());
            assertThat(imap.uidSubjects()).containsExactly(Map.entry(1L, "one"), Map.entry(3L, "three"), Map.entry(4L, "four"));

            ImapClient.Selected archive = imap.select("Archive");
            assertThat(archive.uidValidity()).as("Archive UIDVALIDITY").isEqualTo(dovecotArchive.uidValidity());
            assertThat(imap.uidFlags()).as("Archive").isEqualTo(Map.of(movedTo, Set.of("\\Flagged", "Work")));
            assertThat(imap.uidSubjects()).containsExactly(Map.entry(movedTo, "two"));
            assertThat(archive.uidNext()).as("Archive UIDNEXT").isGreaterThanOrEqualTo(dovecotArchive.uidNext());
        }
    }

    // ------------------------------------------------------------------ folders and subscriptions

    @Test
    void foldersCreatedInMaildeckAreListedByDovecotUnderTheSameNames() throws Exception {
        String user = newUser("maildeck-folders");
        Map<String, Long> maildeckFolders;
        try (ImapClient imap = maildeckImap(user)) {
            imap.command("CREATE " + ENTWUERFE);
            imap.command("CREATE Projects.2026");
            maildeckFolders = imap.foldersWithUidValidity();
        }
        assertThat(maildeckFolders).as("Maildeck's own LIST").containsKeys("INBOX", ENTWUERFE, "Projects", "Projects.2026");

        dovecot = startDovecot(user);
        try (ImapClient imap = dovecotImap(user)) {
            assertThat(imap.foldersWithUidValidity()).as("folders and their UIDVALIDITY").isEqualTo(maildeckFolders);
        }
    }

    @Test
    void foldersCreatedInDovecotAreListedByMaildeck() throws Exception {
        String user = newUserWithMail("dovecot-folders");
        dovecot = startDovecot(user);
        Map<String, Long> dovecotFolders;
        try (ImapClient imap = dovecotImap(user)) {
            imap.command("CREATE Receipts");
            imap.command("CREATE Receipts.2025");
            imap.command("CREATE " + GELOESCHT);
            dovecotFolders = imap.foldersWithUidValidity();
        }
        assertThat(dovecotFolders).as("Dovecot's own LIST").containsKeys("INBOX", "Receipts", "Receipts.2025", GELOESCHT);

        try (ImapClient imap = maildeckImap(user)) {
            assertThat(imap.foldersWithUidValidity()).as("folders and their UIDVALIDITY").isEqualTo(dovecotFolders);
        }
    }

    @Test
    void subscriptionsMadeInMaildeckAreSeenByDovecot() throws Exception {
        String user = newUser("maildeck-subscribes");
        Set<String> maildeckSubscriptions;
        try (ImapClient imap = maildeckImap(user)) {
            imap.command("CREATE " + ENTWUERFE);
            imap.command("CREATE Projects.2026");
            imap.command("SUBSCRIBE " + ENTWUERFE);
            imap.command("SUBSCRIBE Projects.2026");
            maildeckSubscriptions = imap.lsub();
        }
        assertThat(maildeckSubscriptions).as("Maildeck's own LSUB").contains(ENTWUERFE, "Projects.2026").doesNotContain("Projects");

        dovecot = startDovecot(user);
        try (ImapClient imap = dovecotImap(user)) {
            assertThat(imap.lsub()).isEqualTo(maildeckSubscriptions);
        }
    }

    @Test
    void subscriptionsMadeInDovecotAreSeenByMaildeck() throws Exception {
        String user = newUserWithMail("dovecot-subscribes");
        dovecot = startDovecot(user);
        Set<String> dovecotSubscriptions;
        try (ImapClient imap = dovecotImap(user)) {
            imap.command("CREATE Receipts");
            imap.command("CREATE Receipts.2025");
            imap.command("CREATE " + GELOESCHT);
            imap.command("SUBSCRIBE Receipts.2025");
            imap.command("SUBSCRIBE " + GELOESCHT);
            dovecotSubscriptions = imap.lsub();
        }
        assertThat(dovecotSubscriptions).as("Dovecot's own LSUB").contains("Receipts.2025", GELOESCHT).doesNotContain("Receipts");

        try (ImapClient imap = maildeckImap(user)) {
            assertThat(imap.lsub()).isEqualTo(dovecotSubscriptions);
        }
    }

    // ------------------------------------------------------------------ UIDs

    @Test
    void uidsAssignedByBothServersInTurnNeverCollide() throws Exception {
        String user = newUser("in-turn");
        deliverOverSmtp(user, "maildeck 1");
        deliverOverSmtp(user, "maildeck 2");

        dovecot = startDovecot(user);
        try (ImapClient dovecotSession = dovecotImap(user)) {
            assertThat(ImapClient.appendedUid(dovecotSession.append("INBOX", "", crlfMessage(user, "dovecot 1")))).isEqualTo(3);
            assertThat(ImapClient.appendedUid(dovecotSession.append("INBOX", "", crlfMessage(user, "dovecot 2")))).isEqualTo(4);
            dovecotSession.select("INBOX");

            deliverOverSmtp(user, "maildeck 3");
            deliverOverSmtp(user, "maildeck 4");

            // the same Dovecot session, which last read the uidlist before Maildeck's deliveries
            dovecot.shareMailRoot();
            assertThat(ImapClient.appendedUid(dovecotSession.append("INBOX", "", crlfMessage(user, "dovecot 3")))).isEqualTo(7);
            Map<Long, String> expected = Map.of(1L, "maildeck 1", 2L, "maildeck 2", 3L, "dovecot 1", 4L, "dovecot 2",
                5L, "maildeck 3", 6L, "maildeck 4", 7L, "dovecot 3");
            assertThat(dovecotSession.uidSubjects()).as("Dovecot").isEqualTo(expected);

            try (ImapClient maildeckSession = maildeckImap(user)) {
                maildeckSession.select("INBOX");
                assertThat(maildeckSession.uidSubjects()).as("Maildeck").isEqualTo(expected);
            }
        }
        List<Long> recordedUids = new MaildirFiles(maildeck.maildir(user)).uidList().stream().map(MaildirFiles.UidRecord::uid).toList();
        assertThat(recordedUids).as("UIDs in dovecot-uidlist").doesNotHaveDuplicates().isSorted().contains(1L, 2L, 3L, 4L, 5L, 6L, 7L);
    }

    // ---------------------------------------------------------------------------------------

    private static String newUser(String localPart) {
        String user = localPart + "-" + UUID.randomUUID().toString().substring(0, 6) + "@" + DOMAIN;
        webAdmin.addUser(user, PASSWORD);
        return user;
    }

    /** A new user whose Maildir Maildeck created by delivering one message, as for any user who got mail. */
    private static String newUserWithMail(String localPart) throws Exception {
        String user = newUser(localPart);
        deliverOverSmtp(user, "welcome");
        return user;
    }

    private static void deliverOverSmtp(String user, String subject) throws Exception {
        try (SmtpClient smtp = SmtpClient.connect(maildeck.port("smtp"))) {
            SmtpClient.expect(smtp.command("EHLO client.test"), 250);
            SmtpClient.expect(smtp.send("sender@client.test", List.of(user), crlfMessage(user, subject)), 250);
        }
        new Mailbox(maildeck, user, PASSWORD).awaitSubject(subject, DELIVERY);
    }

    private static byte[] crlfMessage(String recipient, String subject) {
        return ("From: sender@client.test\r\n"
            + "To: " + recipient + "\r\n"
            + "Subject: " + subject + "\r\n"
            + "Message-ID: <" + UUID.randomUUID() + "@client.test>\r\n"
            + "\r\n"
            + "Hello.\r\n").getBytes(UTF_8);
    }

    private static ImapClient maildeckImap(String user) throws Exception {
        return ImapClient.login("Maildeck", maildeck.port("imap"), user, PASSWORD);
    }

    private ImapClient dovecotImap(String user) throws Exception {
        return ImapClient.login("Dovecot", dovecot.imapPort(), user, PASSWORD);
    }

    /** A private Dovecot on Maildeck's mail root that knows {@code user}; the mail root is handed to it first. */
    private static DovecotInstance startDovecot(String user) {
        Path work = shared.resolve("dovecot-" + UUID.randomUUID().toString().substring(0, 8));
        return DovecotInstance.start(maildeck.mailRoot(), work, Map.of(user, PASSWORD));
    }

    private static void stopMaildeckForSwitchOver() {
        MaildeckInstance.Result stop = maildeck.stop();
        assertThat(stop.exitCode()).as("maildeck stop: %s", stop).isZero();
        maildeckRunning = false;
    }

    private static void startMaildeckAgain() {
        maildeck.start();
        maildeckRunning = true;
    }
}
