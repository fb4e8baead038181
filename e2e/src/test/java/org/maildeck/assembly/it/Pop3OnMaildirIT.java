package org.maildeck.assembly.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** POP3 on the Maildir store: stable UIDL, RETR, and DELE taking effect at QUIT only. */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class Pop3OnMaildirIT {

    private static final String DOMAIN = "pop3.maildir.test";
    private static final String PASSWORD = TestServer.PASSWORD;
    private static final Duration DELIVERY = Duration.ofSeconds(30);

    @RegisterExtension
    static final TestServer maildeck = TestServer.shared();

    @Test
    void uidlOfAMessageStaysTheSameWhenAnotherMessageArrives() throws Exception {
        String user = maildeck.newUser("uidlnew", DOMAIN);
        deliver(maildeck.instance(), user, "first", 1);
        Map<Integer, String> before;
        try (Pop3Client pop3 = Pop3Client.login(maildeck.port("pop3"), user, PASSWORD)) {
            before = pop3.uidl();
        }
        deliver(maildeck.instance(), user, "second", 2);
        Map<Integer, String> after;
        try (Pop3Client pop3 = Pop3Client.login(maildeck.port("pop3"), user, PASSWORD)) {
            after = pop3.uidl();
            assertThat(new String(pop3.retr(1), ISO_8859_1)).as("message 1 is still the first one").contains("Subject: first");
        }
        assertThat(before).hasSize(1);
        assertThat(after).hasSize(2).containsEntry(1, before.get(1));
        assertThat(after.get(2)).isNotEqualTo(after.get(1));
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void uidlIsTheSameAfterACleanRestart() throws Exception {
        // restarts the shared server (TestServer: it is left serving)
        String user = maildeck.newUser("uidlrestart", DOMAIN);
        deliver(maildeck.instance(), user, "first", 1);
        deliver(maildeck.instance(), user, "second", 2);
        Map<Integer, String> before;
        try (Pop3Client pop3 = Pop3Client.login(maildeck.port("pop3"), user, PASSWORD)) {
            before = pop3.uidl();
        }
        MaildeckInstance.Result stop = maildeck.instance().stop();
        assertThat(stop.exitCode()).as("stop: %s", stop).isZero();
        maildeck.instance().start();

        try (Pop3Client pop3 = Pop3Client.login(maildeck.port("pop3"), user, PASSWORD)) {
            assertThat(pop3.uidl()).as("UIDL after the restart").isEqualTo(before).hasSize(2);
        }
    }

    @Test
    void retrReturnsTheStoredMessageWhoseEndIsTheSentMessage() throws Exception {
        String user = maildeck.newUser("retr", DOMAIN);
        byte[] sent = message(user, "retrieved " + UUID.randomUUID(),
            "A line.\r\n.A line starting with a dot.\r\n.\r\nLast line.\r\n");
        sendOverSmtp(maildeck.instance(), user, sent);
        Path file = MaildirOnDisk.awaitFiles(maildeck.instance().maildir(user), "new", 1, DELIVERY).get(0);
        byte[] stored = MaildirOnDisk.read(file);

        byte[] retrieved;
        try (Pop3Client pop3 = Pop3Client.login(maildeck.port("pop3"), user, PASSWORD)) {
            retrieved = pop3.retr(1);
        }
        assertThat(new String(retrieved, ISO_8859_1)).as("RETR").endsWith(new String(sent, ISO_8859_1));
        assertThat(retrieved).as("RETR vs the Maildir file").isEqualTo(stored);
    }

    /** RFC 1939 5: LIST gives the exact size in octets; the message RETR returns has that size. */
    @Test
    void listSizeIsTheSizeOfWhatRetrReturns() throws Exception {
        String user = maildeck.newUser("listsize", DOMAIN);
        deliver(maildeck.instance(), user, "sized", 1);
        try (Pop3Client pop3 = Pop3Client.login(maildeck.port("pop3"), user, PASSWORD)) {
            String list = pop3.single("LIST 1");
            long size = Long.parseLong(list.split(" ")[2]);
            assertThat(pop3.retr(1).length).as("RETR 1 vs %s", list).isEqualTo(size);
        }
    }

    @Test
    void deleAndQuitDeleteTheMessageFile() throws Exception {
        String user = maildeck.newUser("dele", DOMAIN);
        Path inbox = maildeck.instance().maildir(user);
        deliver(maildeck.instance(), user, "to delete", 1);
        deliver(maildeck.instance(), user, "to keep", 2);

        try (Pop3Client pop3 = Pop3Client.login(maildeck.port("pop3"), user, PASSWORD)) {
            assertThat(new String(pop3.retr(1), ISO_8859_1)).contains("Subject: to delete");
            pop3.single("DELE 1");
            assertThat(pop3.quit()).startsWith("+OK");
        }
        List<Path> left = MaildirOnDisk.messages(inbox);
        assertThat(left).as("files after DELE 1 and QUIT").hasSize(1);
        assertThat(new String(MaildirOnDisk.read(left.get(0)), ISO_8859_1)).contains("Subject: to keep");
    }

    /** RFC 1939 6: messages are only removed in the UPDATE state, which a session without QUIT never reaches. */
    @Test
    void deleWithoutQuitDeletesNothing() throws Exception {
        String user = maildeck.newUser("nodele", DOMAIN);
        Path inbox = maildeck.instance().maildir(user);
        deliver(maildeck.instance(), user, "survivor", 1);

        try (Pop3Client pop3 = Pop3Client.login(maildeck.port("pop3"), user, PASSWORD)) {
            pop3.single("DELE 1");
            pop3.dropConnection();
        }
        Thread.sleep(1000);
        assertThat(MaildirOnDisk.messages(inbox)).as("files after DELE without QUIT").hasSize(1);
        try (Pop3Client pop3 = Pop3Client.login(maildeck.port("pop3"), user, PASSWORD)) {
            assertThat(pop3.single("STAT")).startsWith("+OK 1 ");
        }
    }

    // ---------------------------------------------------------------------------------------

    /** Sends a message with this subject and waits until the INBOX holds {@code expectedFiles} files. */
    private static void deliver(MaildeckInstance on, String user, String subject, int expectedFiles) throws Exception {
        sendOverSmtp(on, user, message(user, subject, "Hello.\r\n"));
        long deadline = System.nanoTime() + DELIVERY.toNanos();
        while (MaildirOnDisk.messages(on.maildir(user)).size() < expectedFiles) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("message '" + subject + "' for " + user + " not delivered within " + DELIVERY);
            }
            Thread.sleep(200);
        }
    }

    private static byte[] message(String recipient, String subject, String body) {
        return ("From: sender@client.test\r\nTo: " + recipient + "\r\nSubject: " + subject + "\r\nMessage-ID: <"
            + UUID.randomUUID() + "@client.test>\r\n\r\n" + body).getBytes(ISO_8859_1);
    }

    private static void sendOverSmtp(MaildeckInstance on, String recipient, byte[] message) throws IOException {
        try (SmtpClient smtp = SmtpClient.connect(on.port("smtp"))) {
            SmtpClient.expect(smtp.command("EHLO client.test"), 250);
            SmtpClient.expect(smtp.send("sender@client.test", List.of(recipient), message), 250);
            smtp.command("QUIT");
        }
    }
}
