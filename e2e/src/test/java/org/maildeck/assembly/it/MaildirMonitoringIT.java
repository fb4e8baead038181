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

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code org.maildeck:type=MaildirStore} counts what local delivery and the store did, read with
 * a real JMX client. Every test waits until what it caused has happened (follow-up bounces
 * included), so that the next one starts from a quiet server.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class MaildirMonitoringIT {

    private static final String DOMAIN = "maildir-monitoring.maildeck.test";
    private static final String PASSWORD = "Maildir-Pa55word";
    private static final String STORE = "org.maildeck:type=MaildirStore";
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static MaildeckInstance server;

    @BeforeAll
    static void startServer() {
        server = MaildeckInstance.create().start();
        new WebAdmin(server).addDomain(DOMAIN);
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aMessageForOneLocalUserRaisesDeliveriesTotalByOneAndDeliveredBytesTotalByItsFileSize() throws Exception {
        String user = newUser("one");
        long deliveries = attribute("DeliveriesTotal");
        long bytes = attribute("DeliveredBytesTotal");

        send(List.of(user), message("one copy"));

        Path file = awaitFiles(user, 1).get(0);
        assertThat(awaitAbove("DeliveriesTotal", deliveries)).isEqualTo(deliveries + 1);
        assertThat(awaitAbove("DeliveredBytesTotal", bytes)).isEqualTo(bytes + Files.size(file));
    }

    @Test
    void aMessageForTwoLocalUsersRaisesDeliveriesTotalByTwo() throws Exception {
        String first = newUser("first");
        String second = newUser("second");
        long deliveries = attribute("DeliveriesTotal");

        send(List.of(first, second), message("two copies"));

        assertThat(awaitAbove("DeliveriesTotal", deliveries + 1)).isEqualTo(deliveries + 2);
        awaitFiles(first, 1);
        awaitFiles(second, 1);
    }

    @Test
    void aMessageTooBigForTheRestOfTheStorageLimitRaisesBouncedOverQuotaTotalByOne() throws Exception {
        String full = newUser("full");
        String sender = newUser("sender");
        deliverAndAwait(full, 1);
        AdminRequests.setQuota(server, full, 100, Files.size(awaitFiles(full, 1).get(0)) + 200);
        long bounced = attribute("BouncedOverQuotaTotal");

        try (SmtpClient smtp = SmtpClient.connect(server.port("smtp"))) {
            SmtpClient.expect(smtp.command("EHLO client.test"), 250);
            SmtpClient.expect(smtp.send(sender, List.of(full), message("x".repeat(4096))), 250);
        }

        assertThat(awaitAbove("BouncedOverQuotaTotal", bounced)).isEqualTo(bounced + 1);
        // The bounce is a delivery too: over before the next test counts.
        awaitFiles(sender, 1);
    }

    @Test
    void aRecipientWhoseMaildirCannotBeMadeRaisesDeferredTotalByOne() throws Exception {
        String broken = newUser("broken");
        // A file where the Maildir directory belongs: the store cannot create the user's INBOX.
        Files.createDirectories(server.maildir(broken).getParent());
        Files.writeString(server.maildir(broken), "not a directory");
        long deferred = attribute("DeferredTotal");

        send(List.of(broken), message("nowhere to go"));

        assertThat(awaitAbove("DeferredTotal", deferred)).isEqualTo(deferred + 1);
        server.awaitLog(": to=<" + broken + ">, folder=-, relay=maildir", WAIT);
    }

    @Test
    void aDeliveryIntoALoadedFolderAddsAtLeastItsThreeFsyncsToFsyncSamples() throws Exception {
        String user = newUser("fsync");
        deliverAndAwait(user, 1);
        long samples = attribute("FsyncSamples");

        deliverAndAwait(user, 2);

        // The message in tmp/, new/ after the rename, the uidlist (the delivery ledger is written
        // without an fsync of its own). The index writer that runs every five seconds may add its
        // own two: hence "at least".
        assertThat(attribute("FsyncSamples")).isGreaterThanOrEqualTo(samples + 3);
    }

    @Test
    void afterADeliveryFsyncLatencyMaxMillisIsPositiveAndNotBelowTheP99NorTheP99BelowTheMedian() throws Exception {
        deliverAndAwait(newUser("latency"), 1);

        double median = decimal("FsyncLatencyMedianMillis");
        double p99 = decimal("FsyncLatencyP99Millis");
        double max = decimal("FsyncLatencyMaxMillis");

        assertThat(max).isPositive();
        assertThat(max).isGreaterThanOrEqualTo(p99);
        assertThat(p99).isGreaterThanOrEqualTo(median);
    }

    @Test
    void aDeliveryIntoALoadedFolderRaisesIndexCacheMessagesByOne() throws Exception {
        String user = newUser("cached");
        deliverAndAwait(user, 1);
        long messages = attribute("IndexCacheMessages");

        send(List.of(user), message("second"));

        assertThat(awaitAbove("IndexCacheMessages", messages)).isEqualTo(messages + 1);
    }

    @Test
    void aNewFolderInUseRaisesIndexCacheFoldersByOne() throws Exception {
        String user = newUser("selecting");
        deliverAndAwait(user, 1);

        try (ImapClient imap = ImapClient.login("Maildeck", server.port("imap"), user, PASSWORD)) {
            // The store's maintenance loads the index of every folder in use within a second (to
            // announce outside changes): the new user's default folders, and the new folder itself
            // maybe before the SELECT. So the count is taken once it is settled, and before the CREATE.
            long folders = settled("IndexCacheFolders");

            imap.command("CREATE Reports");
            imap.select("Reports");

            assertThat(attribute("IndexCacheFolders")).isEqualTo(folders + 1);
        }
    }

    // ---------------------------------------------------------------------------------------

    private static String newUser(String prefix) {
        String address = prefix + "-" + UUID.randomUUID().toString().substring(0, 8) + "@" + DOMAIN;
        new WebAdmin(server).addUser(address, PASSWORD);
        return address;
    }

    private static byte[] message(String subject) {
        return ("From: sender@client.test\r\nSubject: " + subject + "\r\nMessage-ID: <" + UUID.randomUUID()
            + "@client.test>\r\n\r\nHello.\r\n").getBytes(ISO_8859_1);
    }

    /** From 127.0.0.1, a trusted client: no AUTH needed. */
    private static void send(List<String> recipients, byte[] message) throws IOException {
        try (SmtpClient smtp = SmtpClient.connect(server.port("smtp"))) {
            SmtpClient.expect(smtp.command("EHLO client.test"), 250);
            SmtpClient.expect(smtp.send("sender@client.test", recipients, message), 250);
            smtp.command("QUIT");
        }
    }

    /** Sends one message to {@code user} and waits until it is counted: the delivery is over. */
    private static void deliverAndAwait(String user, int messagesInInbox) throws Exception {
        long deliveries = attribute("DeliveriesTotal");
        send(List.of(user), message("number " + messagesInInbox));
        awaitFiles(user, messagesInInbox);
        awaitAbove("DeliveriesTotal", deliveries);
    }

    private static List<Path> awaitFiles(String user, int count) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!Files.isDirectory(server.maildir(user)) || MaildirOnDisk.messages(server.maildir(user)).size() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the INBOX of " + user + " does not hold " + count + " messages after " + WAIT);
            }
            Thread.sleep(100);
        }
        return MaildirOnDisk.messages(server.maildir(user));
    }

    private static long attribute(String name) throws Exception {
        return MaildeckJmx.attribute(server, STORE, name);
    }

    private static double decimal(String name) throws Exception {
        return MaildeckJmx.decimalAttribute(server, STORE, name);
    }

    /** The attribute once two reads over more than one maintenance tick (1 s) agree. */
    private static long settled(String name) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        long value = attribute(name);
        while (System.nanoTime() < deadline) {
            Thread.sleep(1_500);
            long again = attribute(name);
            if (again == value) {
                return value;
            }
            value = again;
        }
        return value;
    }

    /**
     * The attribute once it is above {@code floor}, or as it is after the wait: the mailet counts
     * a delivery only after the message is visible in the Maildir.
     */
    private static long awaitAbove(String name, long floor) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        long value = attribute(name);
        while (value <= floor && System.nanoTime() < deadline) {
            Thread.sleep(100);
            value = attribute(name);
        }
        return value;
    }
}
