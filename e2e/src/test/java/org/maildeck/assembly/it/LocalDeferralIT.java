package org.maildeck.assembly.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A local recipient whose Maildir cannot be written is deferred, as Postfix defers it: the
 * other recipients of the mail get their copy at once, the deferred one is tried again later
 * and gets the mail once the Maildir is writable, and a recipient still failing after the last
 * attempt makes a non-delivery notice to the sender. Nothing goes to the error repository.
 *
 * <p>The Maildir is made unwritable by a plain file where its directory belongs (the tests run
 * as root, whom file modes do not stop). Retries here are asked for every 2 s (the spool takes
 * them up within a second of that), 3 attempts in all.</p>
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class LocalDeferralIT {

    private static final String DOMAIN = "deferral.test";
    private static final String PASSWORD = "secret-Pa55";
    private static final Duration DELIVERY = Duration.ofSeconds(30);
    private static final Duration ALL_ATTEMPTS = Duration.ofSeconds(90);

    private static MaildeckInstance server;
    private static WebAdmin webAdmin;

    @BeforeAll
    static void startServer() {
        server = MaildeckInstance.create((fileName, content) -> fileName.equals("mailetcontainer.xml")
            ? content.replace("<delays>5m, 10m, 20m, 40m, 1h</delays>", "<delays>2s</delays>")
                .replace("<maxAttempts>123</maxAttempts>", "<maxAttempts>3</maxAttempts>")
            : content).start();
        webAdmin = new WebAdmin(server).addDomain(DOMAIN);
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    private static String newUser(String prefix) {
        String address = prefix + "-" + UUID.randomUUID().toString().substring(0, 8) + "@" + DOMAIN;
        webAdmin.addUser(address, PASSWORD);
        return address;
    }

    /** A plain file where the user's Maildir directory belongs. */
    private static Path blockMaildir(String user) throws IOException {
        Path maildir = server.maildir(user);
        assertThat(maildir).as("no Maildir before the first delivery").doesNotExist();
        Files.createDirectories(maildir.getParent());
        return Files.writeString(maildir, "not a directory");
    }

    private static byte[] message(String subject, String from, String... to) {
        return ("From: <" + from + ">\r\nTo: " + String.join(", ", to) + "\r\nSubject: " + subject + "\r\n\r\nBody.\r\n")
            .getBytes(ISO_8859_1);
    }

    private static void send(String from, List<String> to, byte[] message) throws IOException {
        try (SmtpClient smtp = SmtpClient.connect(server.port("smtp"))) {
            SmtpClient.expect(smtp.command("EHLO client.test"), 250);
            SmtpClient.expect(smtp.send(from, to, message), 250);
            smtp.command("QUIT");
        }
    }

    private static String awaitDeferral(String recipient) throws InterruptedException {
        return server.awaitMailLog(Pattern.compile("to=<" + Pattern.quote(recipient) + ">, .*status=deferred \\("), DELIVERY);
    }

    private static String errorRepository() {
        return new WebAdmin(server).get("/mailRepositories/var%2Fmail%2Ferror/mails");
    }

    /** The queue id a mail-log line starts with. */
    private static String queueId(String mailLogLine) {
        return mailLogLine.substring(0, mailLogLine.indexOf(':'));
    }

    @Test
    void theOtherRecipientsGetTheirCopyAtOnceWhileOneIsDeferred() throws Exception {
        String alice = newUser("alice");
        String bob = newUser("bob");
        blockMaildir(bob);
        String subject = "deferred for one " + UUID.randomUUID();

        send("sender@client.test", List.of(alice, bob), message(subject, "sender@client.test", alice, bob));

        new Mailbox(server, alice, PASSWORD).awaitSubject(subject, DELIVERY);
        String deferral = awaitDeferral(bob);
        System.out.println("[LocalDeferralIT] " + deferral);
        String mail = queueId(deferral);
        assertThat(deferral).as("the reason names what is wrong").contains(server.maildir(bob) + ": exists and is not a directory");
        server.awaitMailLog(Pattern.compile("deferred \\(.*" + Pattern.quote(bob) + ".*\\), retry in 2s, attempt 1"), DELIVERY);
        assertThat(errorRepository()).doesNotContain(mail);
    }

    @Test
    void theDeferredRecipientGetsTheMailOnceItsMaildirIsWritableAgain() throws Exception {
        String alice = newUser("alice");
        String bob = newUser("bob");
        Path block = blockMaildir(bob);
        String subject = "deferred then delivered " + UUID.randomUUID();
        send("sender@client.test", List.of(alice, bob), message(subject, "sender@client.test", alice, bob));
        String mail = queueId(awaitDeferral(bob));

        Files.delete(block);

        new Mailbox(server, bob, PASSWORD).awaitSubject(subject, DELIVERY);
        assertThat(new Mailbox(server, alice, PASSWORD).subjects()).as("alice's copies").containsExactly(subject);
        assertThat(new Mailbox(server, bob, PASSWORD).subjects()).as("bob's copies").containsExactly(subject);
        assertThat(errorRepository()).doesNotContain(mail);
    }

    @Test
    void aRecipientStillFailingAfterTheLastAttemptMakesANonDeliveryNoticeToTheSender() throws Exception {
        String sender = newUser("sender");
        String carol = newUser("carol");
        blockMaildir(carol);
        String subject = "never writable " + UUID.randomUUID();

        send(sender, List.of(carol), message(subject, sender, carol));

        String mail = queueId(awaitDeferral(carol));
        Mailbox senderBox = new Mailbox(server, sender, PASSWORD);
        List<String> notices = senderBox.awaitSubjects(1, ALL_ATTEMPTS);
        System.out.println("[LocalDeferralIT] notice to the sender: " + notices);
        String notice = new String(senderBox.fetchRawBody(1), ISO_8859_1);
        assertThat(notice).contains(carol, "Status: 4.3.0", "Action: failed");
        server.awaitMailLog(Pattern.compile("deferred \\(.*" + Pattern.quote(carol) + ".*\\) 3 times, giving up"), DELIVERY);
        assertThat(errorRepository()).doesNotContain(mail);
    }

    @Test
    void aNullSenderMailStillFailingAfterTheLastAttemptIsKeptInTheErrorRepository() throws Exception {
        String dave = newUser("dave");
        blockMaildir(dave);
        String subject = "notice that cannot be delivered " + UUID.randomUUID();

        try (SmtpClient smtp = SmtpClient.connect(server.port("smtp"))) {
            SmtpClient.expect(smtp.command("EHLO client.test"), 250);
            SmtpClient.expect(smtp.send("", List.of(dave), message(subject, "mailer-daemon@client.test", dave)), 250);
        }

        String mail = queueId(awaitDeferral(dave));
        server.awaitMailLog(Pattern.compile("deferred \\(.*" + Pattern.quote(dave) + ".*\\) 3 times, giving up"), ALL_ATTEMPTS);
        long deadline = System.nanoTime() + DELIVERY.toNanos();
        while (!errorRepository().contains(mail) && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertThat(errorRepository()).as("error repository").contains(mail);
    }
}
