package org.maildeck.assembly.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;

/**
 * Delivery into a chosen folder (a Sieve {@code fileinto}, installed with James 3.8.1's WebAdmin
 * route {@code PUT /sieve/{user}/scripts/{name}?activate=true}) and the mail-log line of every
 * delivery in {@code var/log/maildeck.out}.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class FolderDeliveryIT {

    private static final String DOMAIN = "folders.maildir.test";
    private static final String PASSWORD = TestServer.PASSWORD;
    private static final Duration DELIVERY = Duration.ofSeconds(30);
    private static final String FILE_ACME = "require [\"fileinto\"];\r\n"
        + "if header :contains \"Subject\" \"acme\" {\r\n"
        + "  fileinto \"Projects.Acme\";\r\n"
        + "}\r\n";

    @RegisterExtension
    static final TestServer maildeck = TestServer.shared();

    private static String newUser(String prefix) {
        return maildeck.newUser(prefix, DOMAIN);
    }

    @Test
    void sieveFileintoDeliversIntoTheNamedFolderCreatedOnDemand() throws Exception {
        String user = newUser("fileinto");
        AdminRequests.activeSieveScript(maildeck.instance(), user, "main", FILE_ACME);
        String subject = "ACME kickoff " + UUID.randomUUID();

        send(user, message(user, subject));
        Path acme = MaildirOnDisk.folder(maildeck.instance().maildir(user), "Projects.Acme");
        List<Path> files = MaildirOnDisk.awaitFiles(acme, "new", 1, DELIVERY);

        assertThat(new String(MaildirOnDisk.read(files.get(0)), ISO_8859_1)).contains("Subject: " + subject);
        assertThat(MaildirOnDisk.messages(maildeck.instance().maildir(user))).as("INBOX files").isEmpty();
        try (ImapWire imap = ImapWire.login(maildeck.instance(), user, PASSWORD)) {
            assertThat(ImapOnMaildirIT.listed(imap.ok("LIST \"\" \"*\"")).keySet()).contains("Projects.Acme");
            ImapWire.Reply examine = imap.ok("EXAMINE Projects.Acme");
            assertThat(examine.lines("1 EXISTS")).as("%s", examine).hasSize(1);
            ImapWire.Reply fetch = imap.ok("FETCH 1 (BODY.PEEK[HEADER.FIELDS (SUBJECT)])");
            assertThat(fetch.untagged().get(0).literals().get(0)).asString(ISO_8859_1).contains(subject);
        }
    }

    /** The server remembers that a user has no script (RememberingSieveRepository): activating one must count at once. */
    @Test
    void scriptActivatedAfterADeliveryFilesTheNextMessage() throws Exception {
        String user = newUser("latescript");
        send(user, message(user, "acme before the script " + UUID.randomUUID()));
        MaildirOnDisk.awaitFiles(maildeck.instance().maildir(user), "new", 1, DELIVERY);

        AdminRequests.activeSieveScript(maildeck.instance(), user, "main", FILE_ACME);
        String subject = "acme after the script " + UUID.randomUUID();
        send(user, message(user, subject));

        List<Path> filed = MaildirOnDisk.awaitFiles(MaildirOnDisk.folder(maildeck.instance().maildir(user), "Projects.Acme"), "new", 1, DELIVERY);
        assertThat(new String(MaildirOnDisk.read(filed.get(0)), ISO_8859_1)).contains("Subject: " + subject);
    }

    @Test
    void fileintoAFolderNameTheStoreCannotUseDeliversToTheInbox() throws Exception {
        String user = newUser("badfolder");
        AdminRequests.activeSieveScript(maildeck.instance(), user, "main", "require [\"fileinto\"];\r\nfileinto \"Wild*Card\";\r\n");
        String subject = "for a folder that cannot be " + UUID.randomUUID();

        send(user, message(user, subject));

        List<Path> inbox = MaildirOnDisk.awaitFiles(maildeck.instance().maildir(user), "new", 1, DELIVERY);
        assertThat(new String(MaildirOnDisk.read(inbox.get(0)), ISO_8859_1)).contains("Subject: " + subject);
        // The file is in new/ before the mailet writes its log line: wait for the line, do not sample the log.
        maildeck.instance().awaitMailLog(Pattern.compile(Pattern.quote("to=<" + user + ">, folder=INBOX, ") + ".*status=delivered$"), DELIVERY);
    }

    @Test
    void messageTheScriptDoesNotFileIsDeliveredToTheInbox() throws Exception {
        String user = newUser("keep");
        AdminRequests.activeSieveScript(maildeck.instance(), user, "main", FILE_ACME);
        String subject = "nothing about that company " + UUID.randomUUID();

        send(user, message(user, subject));
        List<Path> files = MaildirOnDisk.awaitFiles(maildeck.instance().maildir(user), "new", 1, DELIVERY);

        assertThat(new String(MaildirOnDisk.read(files.get(0)), ISO_8859_1)).contains("Subject: " + subject);
        assertThat(MaildirOnDisk.isMaildir(MaildirOnDisk.folder(maildeck.instance().maildir(user), "Projects.Acme")))
            .as("Projects.Acme created although nothing was filed there").isFalse();
    }

    @Test
    void fileintoDeliveryIsLoggedOnceWithItsFolder() throws Exception {
        String user = newUser("fileintolog");
        AdminRequests.activeSieveScript(maildeck.instance(), user, "main", FILE_ACME);

        send(user, message(user, "acme weekly " + UUID.randomUUID()));
        MaildirOnDisk.awaitFiles(MaildirOnDisk.folder(maildeck.instance().maildir(user), "Projects.Acme"), "new", 1, DELIVERY);

        List<String> lines = awaitMailLog(user, 1);
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).matches(".*: to=<" + Pattern.quote(user) + ">, folder=Projects\\.Acme, .*status=delivered");
    }

    @Test
    void inboxDeliveryIsLoggedWithTheUidTheMessageHasOverImap() throws Exception {
        String user = newUser("inboxlog");
        send(user, message(user, "first"));
        MaildirOnDisk.awaitFiles(maildeck.instance().maildir(user), "new", 1, DELIVERY);
        send(user, message(user, "second"));
        MaildirOnDisk.awaitFiles(maildeck.instance().maildir(user), "new", 2, DELIVERY);

        List<String> lines = awaitMailLog(user, 2);
        assertThat(lines).hasSize(2);
        Pattern delivered = Pattern.compile(".*: to=<" + Pattern.quote(user) + ">, folder=INBOX, .*\\buid=(\\d+), .*status=delivered");
        Matcher second = delivered.matcher(lines.get(1));
        assertThat(second.matches()).as("mail-log line %s", lines.get(1)).isTrue();

        try (ImapWire imap = ImapWire.login(maildeck.instance(), user, PASSWORD)) {
            imap.ok("EXAMINE INBOX");
            List<Long> found = ImapOnMaildirIT.searchNumbers(imap.ok("UID SEARCH SUBJECT \"second\""));
            assertThat(found).as("UID of the second message over IMAP").containsExactly(Long.parseLong(second.group(1)));
        }
    }

    // ---------------------------------------------------------------------------------------

    /** The mail-log lines for this recipient; waits until there are at least {@code count}. */
    private static List<String> awaitMailLog(String user, int count) throws InterruptedException {
        long deadline = System.nanoTime() + DELIVERY.toNanos();
        while (true) {
            List<String> lines = maildeck.instance().serverLog().lines().filter(line -> line.contains(" maildeck.mail - "))
                .filter(line -> line.contains(": to=<" + user + ">,")).toList();
            if (lines.size() >= count || System.nanoTime() > deadline) {
                Thread.sleep(lines.size() >= count ? 1000 : 0);
                return maildeck.instance().serverLog().lines().filter(line -> line.contains(" maildeck.mail - "))
                    .filter(line -> line.contains(": to=<" + user + ">,")).toList();
            }
            Thread.sleep(200);
        }
    }

    private static byte[] message(String recipient, String subject) {
        return ("From: sender@client.test\r\nTo: " + recipient + "\r\nSubject: " + subject + "\r\nMessage-ID: <"
            + UUID.randomUUID() + "@client.test>\r\n\r\nHello.\r\n").getBytes(ISO_8859_1);
    }

    private static void send(String recipient, byte[] message) throws IOException {
        try (SmtpClient smtp = SmtpClient.connect(maildeck.port("smtp"))) {
            SmtpClient.expect(smtp.command("EHLO client.test"), 250);
            SmtpClient.expect(smtp.send("sender@client.test", List.of(recipient), message), 250);
            smtp.command("QUIT");
        }
    }
}
