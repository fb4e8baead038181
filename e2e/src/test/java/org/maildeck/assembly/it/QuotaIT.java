package org.maildeck.assembly.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Quota on the Maildir store: limits set over WebAdmin, usage as IMAP reports it (what is in the
 * Maildir), and SMTP refusing a full mailbox at RCPT with {@code 452 4.2.2}.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class QuotaIT {

    private static final String DOMAIN = "quota.maildir.test";
    private static final String PASSWORD = TestServer.PASSWORD;
    private static final Duration DELIVERY = Duration.ofSeconds(30);
    private static final long PLENTY = 100L * 1024 * 1024;
    private static final Pattern QUOTA_LINE = Pattern.compile("^\\* QUOTA (\\S+|\"[^\"]*\") \\((.*)\\)$");
    private static final Pattern RESOURCE = Pattern.compile("(\\S+) (\\d+) (\\d+)");

    @RegisterExtension
    static final TestServer maildeck = TestServer.shared();

    /** Quotas are per user: a user of its own per test keeps the shared server's other users unlimited. */
    private static String newUser(String prefix) {
        return maildeck.newUser(prefix, DOMAIN);
    }

    @Test
    void getQuotaRootReportsTheMessagesAndKilobytesInTheMaildir() throws Exception {
        String user = newUser("usage");
        long storageLimit = 10L * 1024 * 1024;
        AdminRequests.setQuota(maildeck.instance(), user, 100, storageLimit);
        deliver(user, message(user, "three kilobytes", 3 * 1024), 1);
        deliver(user, message(user, "five kilobytes", 5 * 1024), 2);
        deliver(user, message(user, "seven kilobytes", 7 * 1024), 3);
        Map<String, long[]> quota;
        try (ImapWire imap = ImapWire.login(maildeck.instance(), user, PASSWORD)) {
            imap.appendOk("Sent", "\\Seen", message(user, "a sent one", 4 * 1024));
            ImapWire.Reply result = imap.ok("GETQUOTAROOT INBOX");
            quota = quotaResources(result);
        }
        long files = allMessageFiles(maildeck.instance().maildir(user)).size();
        long bytes = allMessageFiles(maildeck.instance().maildir(user)).stream().mapToLong(QuotaIT::size).sum();

        assertThat(files).as("message files in the Maildir").isEqualTo(4);
        assertThat(quota).as("GETQUOTAROOT INBOX resources").containsKeys("MESSAGE", "STORAGE");
        assertThat(quota.get("MESSAGE")).as("MESSAGE usage and limit").containsExactly(files, 100);
        assertThat(quota.get("STORAGE")).as("STORAGE usage and limit in KB (%d bytes on disk)", bytes)
            .containsExactly(bytes / 1024, storageLimit / 1024);
    }

    @Test
    void rcptForAUserAtTheMessageLimitIsAnswered452_4_2_2() throws Exception {
        String user = newUser("fullcount");
        deliver(user, message(user, "one", 100), 1);
        deliver(user, message(user, "two", 100), 2);
        AdminRequests.setQuota(maildeck.instance(), user, 2, PLENTY);

        SmtpClient.Reply rcpt = rcpt(user);
        assertThat(rcpt.code()).as("%s", rcpt).isEqualTo(452);
        assertThat(rcpt.last()).startsWith("452 4.2.2 ");
    }

    @Test
    void rcptForAUserOverTheStorageLimitIsAnswered452_4_2_2() throws Exception {
        String user = newUser("fullsize");
        deliver(user, message(user, "big one", 8 * 1024), 1);
        AdminRequests.setQuota(maildeck.instance(), user, 100, 4 * 1024);

        SmtpClient.Reply rcpt = rcpt(user);
        assertThat(rcpt.code()).as("%s", rcpt).isEqualTo(452);
        assertThat(rcpt.last()).startsWith("452 4.2.2 ");
    }

    @Test
    void messageForAFullMailboxIsNotStoredWhileTheOtherRecipientGetsIt() throws Exception {
        String full = newUser("fullone");
        String other = newUser("otherone");
        deliver(full, message(full, "filling", 100), 1);
        AdminRequests.setQuota(maildeck.instance(), full, 1, PLENTY);
        String subject = "refused for one " + UUID.randomUUID();

        try (SmtpClient smtp = SmtpClient.connect(maildeck.port("smtp"))) {
            SmtpClient.expect(smtp.command("EHLO client.test"), 250);
            SmtpClient.expect(smtp.command("MAIL FROM:<sender@client.test>"), 250);
            SmtpClient.Reply refused = smtp.command("RCPT TO:<" + full + ">");
            assertThat(refused.code()).as("%s", refused).isEqualTo(452);
            SmtpClient.expect(smtp.command("RCPT TO:<" + other + ">"), 250);
            SmtpClient.expect(smtp.command("DATA"), 354);
            SmtpClient.expect(smtp.sendData(message(other, subject, 100)), 250);
            smtp.command("QUIT");
        }
        awaitFiles(other, 1);
        Thread.sleep(2000);

        List<Path> files = allMessageFiles(maildeck.instance().maildir(full));
        assertThat(files).as("files of the full mailbox").hasSize(1);
        assertThat(files).noneMatch(file -> new String(MaildirOnDisk.read(file), ISO_8859_1).contains(subject));
        assertThat(maildeck.instance().serverLog().lines().filter(line -> line.contains(": to=<" + full + ">,")))
            .as("mail-log lines of the full mailbox").hasSize(1).allMatch(line -> line.endsWith("status=delivered"));
    }

    @Test
    void rcptForAUserBelowTheLimitsIsAcceptedAndTheMessageStored() throws Exception {
        String user = newUser("roomy");
        deliver(user, message(user, "one", 100), 1);
        AdminRequests.setQuota(maildeck.instance(), user, 3, PLENTY);

        try (SmtpClient smtp = SmtpClient.connect(maildeck.port("smtp"))) {
            SmtpClient.expect(smtp.command("EHLO client.test"), 250);
            SmtpClient.expect(smtp.command("MAIL FROM:<sender@client.test>"), 250);
            SmtpClient.Reply rcpt = smtp.command("RCPT TO:<" + user + ">");
            assertThat(rcpt.code()).as("%s", rcpt).isEqualTo(250);
            SmtpClient.expect(smtp.command("DATA"), 354);
            SmtpClient.expect(smtp.sendData(message(user, "two", 100)), 250);
        }
        awaitFiles(user, 2);
    }

    /** 452 is temporary: once the user has deleted mail, the same RCPT is accepted (usage is read from the Maildir). */
    @Test
    void rcptIsAcceptedAgainOnceTheUserExpungedMail() throws Exception {
        String user = newUser("freed");
        deliver(user, message(user, "one", 100), 1);
        deliver(user, message(user, "two", 100), 2);
        AdminRequests.setQuota(maildeck.instance(), user, 2, PLENTY);
        assertThat(rcpt(user).code()).as("RCPT while full").isEqualTo(452);

        try (ImapWire imap = ImapWire.login(maildeck.instance(), user, PASSWORD)) {
            imap.ok("SELECT INBOX");
            imap.ok("STORE 1 +FLAGS.SILENT (\\Deleted)");
            imap.ok("EXPUNGE");
        }
        SmtpClient.Reply rcpt = rcpt(user);
        assertThat(rcpt.code()).as("RCPT after EXPUNGE: %s", rcpt).isEqualTo(250);
    }

    /**
     * A message accepted at RCPT that does not fit in what is left of the storage limit is not
     * stored: the sender gets a bounce naming the recipient.
     */
    @Test
    void messageTooBigForTheRestOfTheStorageLimitIsNotStoredAndBounced() throws Exception {
        String full = newUser("almostfull");
        String sender = newUser("bouncesender");
        String subject = "too big for the rest " + UUID.randomUUID();
        sendTooBig(full, sender, subject);

        List<Path> bounce = awaitAllFiles(sender, 1);
        String dsn = new String(MaildirOnDisk.read(bounce.get(0)), ISO_8859_1);
        assertThat(dsn).as("bounce").contains(subject).contains(full);
        Thread.sleep(1000);
        List<Path> files = allMessageFiles(maildeck.instance().maildir(full));
        assertThat(files).as("files of the recipient").hasSize(1);
        assertThat(files).noneMatch(file -> new String(MaildirOnDisk.read(file), ISO_8859_1).contains(subject));
    }

    /** RFC 3464 2.3.4: the per-recipient Status of the bounce is the status code, 5.2.2 for a full mailbox. */
    @Test
    void bounceForAMailboxOverItsStorageLimitSaysStatus5_2_2() throws Exception {
        String full = newUser("almostfull2");
        String sender = newUser("bouncesender2");
        sendTooBig(full, sender, "too big again " + UUID.randomUUID());

        String dsn = new String(MaildirOnDisk.read(awaitAllFiles(sender, 1).get(0)), ISO_8859_1);
        Matcher status = Pattern.compile("(?m)^Status: *(\\S*)").matcher(dsn);
        assertThat(status.find()).as("a Status field in the bounce:%n%s", dsn).isTrue();
        assertThat(status.group(1)).as("Status of the bounce:%n%s", dsn).isEqualTo("5.2.2");
    }

    /** {@code full} gets a small message and a storage limit 200 bytes above it; then {@code sender} sends 4 KB. */
    private static void sendTooBig(String full, String sender, String subject) throws Exception {
        deliver(full, message(full, "small", 100), 1);
        long used = allMessageFiles(maildeck.instance().maildir(full)).stream().mapToLong(QuotaIT::size).sum();
        AdminRequests.setQuota(maildeck.instance(), full, 100, used + 200);
        try (SmtpClient smtp = SmtpClient.connect(maildeck.port("smtp"))) {
            SmtpClient.expect(smtp.command("EHLO client.test"), 250);
            SmtpClient.Reply end = smtp.send(sender, List.of(full), message(full, subject, 4 * 1024));
            assertThat(end.code()).as("end of DATA: %s", end).isEqualTo(250);
            smtp.command("QUIT");
        }
    }

    private static List<Path> awaitAllFiles(String user, int count) throws InterruptedException {
        awaitFiles(user, count);
        return allMessageFiles(maildeck.instance().maildir(user));
    }

    // ---------------------------------------------------------------------------------------

    /** EHLO, MAIL and one RCPT: the reply to the RCPT. */
    private static SmtpClient.Reply rcpt(String recipient) throws IOException {
        try (SmtpClient smtp = SmtpClient.connect(maildeck.port("smtp"))) {
            SmtpClient.expect(smtp.command("EHLO client.test"), 250);
            SmtpClient.expect(smtp.command("MAIL FROM:<sender@client.test>"), 250);
            SmtpClient.Reply reply = smtp.command("RCPT TO:<" + recipient + ">");
            System.out.println("[QuotaIT] RCPT TO:<" + recipient + "> -> " + reply);
            smtp.command("QUIT");
            return reply;
        }
    }

    private static void deliver(String user, byte[] message, int expectedFiles) throws Exception {
        try (SmtpClient smtp = SmtpClient.connect(maildeck.port("smtp"))) {
            SmtpClient.expect(smtp.command("EHLO client.test"), 250);
            SmtpClient.expect(smtp.send("sender@client.test", List.of(user), message), 250);
            smtp.command("QUIT");
        }
        awaitFiles(user, expectedFiles);
    }

    private static void awaitFiles(String user, int count) throws InterruptedException {
        long deadline = System.nanoTime() + DELIVERY.toNanos();
        while (!Files.isDirectory(maildeck.instance().maildir(user)) || allMessageFiles(maildeck.instance().maildir(user)).size() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Maildir of " + user + " does not hold " + count + " messages after " + DELIVERY);
            }
            Thread.sleep(200);
        }
    }

    /** A message of about {@code bodySize} bytes of body. */
    private static byte[] message(String recipient, String subject, int bodySize) {
        StringBuilder body = new StringBuilder();
        while (body.length() < bodySize) {
            body.append("All work and no play makes a mailbox full.\r\n");
        }
        return ("From: sender@client.test\r\nTo: " + recipient + "\r\nSubject: " + subject + "\r\nMessage-ID: <"
            + UUID.randomUUID() + "@client.test>\r\n\r\n" + body).getBytes(ISO_8859_1);
    }

    /** Every message file of every folder of the Maildir. */
    private static List<Path> allMessageFiles(Path maildir) {
        List<Path> files = new ArrayList<>(MaildirOnDisk.messages(maildir));
        try (Stream<Path> entries = Files.list(maildir)) {
            entries.filter(path -> path.getFileName().toString().startsWith(".") && MaildirOnDisk.isMaildir(path))
                .forEach(folder -> files.addAll(MaildirOnDisk.messages(folder)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Resource name to {usage, limit}, from the QUOTA responses of a reply (one or several per root). */
    private static Map<String, long[]> quotaResources(ImapWire.Reply result) {
        Map<String, long[]> resources = new LinkedHashMap<>();
        assertThat(result.lines("QUOTAROOT")).as("%s", result).hasSize(1);
        for (String line : result.lines("QUOTA ")) {
            Matcher quota = QUOTA_LINE.matcher(line);
            assertThat(quota.matches()).as("QUOTA response %s", line).isTrue();
            Matcher resource = RESOURCE.matcher(quota.group(2));
            while (resource.find()) {
                resources.put(resource.group(1).toUpperCase(), new long[] {Long.parseLong(resource.group(2)), Long.parseLong(resource.group(3))});
            }
        }
        System.out.println("[QuotaIT] " + result);
        return resources;
    }
}
