package org.maildeck.assembly.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.maildeck.antivirus.ClamdProcess;

/**
 * {@code kill -9} and {@code bin/maildeck start} again, as after a power cut or the OOM killer:
 * every start serves, and the mail that was in the spool at the crash is delivered. The tests
 * kill and start the fork's shared server (TestServer: they leave it serving).
 */
class CrashRestartIT {

    private static final String DOMAIN = "crash.test";

    @RegisterExtension
    static final TestServer maildeck = TestServer.shared();

    /**
     * A start with mail in the spool deadlocked about once in 7 (JPA metadata resolved by the
     * spooler threads while they held the database connections): 15 starts in a row all serving
     * show that rate gone with 90% confidence ((6/7)^15 = 0.10).
     */
    private static final int STARTS = 15;
    /** More than the spooler's 20 threads, so that the spool is not empty when they all start. */
    private static final int MESSAGES_PER_CRASH = 60;
    /**
     * Room for one scan deferral: a scan that clamd does not answer in time (20 threads at once
     * on a loaded machine, right after clamd is thawed) is tried again a minute later, and the
     * queue may bring a delayed mail up to a minute late. A message still missing then is lost.
     */
    private static final Duration DELIVERY = Duration.ofMinutes(4);
    private static final Pattern SUBJECT = Pattern.compile("(?m)^Subject: (crash \\S+ #\\d+ of start \\d+ (?:clean|infected))\r?$");

    @Test
    @Timeout(value = 20, unit = TimeUnit.MINUTES)
    void everyStartAfterAKill9WithMailInTheSpoolServesAndNoMessageIsLost() throws Exception {
        MaildeckInstance server = maildeck.instance();
        String user = maildeck.newUser("survivor", DOMAIN);
        String run = UUID.randomUUID().toString().substring(0, 8);
        Set<String> sent = new HashSet<>();
        for (int start = 1; start <= STARTS; start++) {
            // clamd frozen: the spooler threads wait in their scans and the mail piles up
            server.clamd().freeze();
            try {
                sent.addAll(sendBatch(server, user, run, start));
                server.kill9();
            } finally {
                server.clamd().thaw();
            }
            server.start();

            assertAcceptsMail(server, user, start);
            MaildeckInstance.Result status = server.maildeck("status");
            assertThat(status.exitCode()).as("start #%d: status %s", start, status).isZero();
            assertThat(status.stdout()).as("start #%d", start).startsWith("maildeck: running (pid " + server.pid() + ")");
            awaitDelivered(server, user, sent, start);
        }
    }

    @Test
    void startRightAfterAKill9StartsANewServerThatListens() throws Exception {
        MaildeckInstance server = maildeck.instance();
        long killed = server.pid();

        // no wait for the process to be gone: the admin types the next command at once
        assertThat(new ProcessBuilder("kill", "-9", Long.toString(killed)).start().waitFor()).isZero();
        MaildeckInstance.Result start = server.maildeck("start");

        assertThat(start.exitCode()).as("start: %s", start).isZero();
        assertThat(start.stdout()).as("start: %s", start).startsWith("maildeck: started (pid ");
        assertThat(server.pid()).isNotEqualTo(killed);
        try (SmtpClient smtp = SmtpClient.connect(server.port("smtp"))) {
            assertThat(smtp.greeting().code()).as("greeting %s", smtp.greeting()).isEqualTo(220);
        }
    }

    /**
     * Two messages in three carry EICAR: after the restart the spooler threads quarantine them
     * at the same time, each in a database transaction, as the clean ones are delivered.
     */
    private static List<String> sendBatch(MaildeckInstance server, String user, String run, int start) throws IOException {
        List<String> subjects = new ArrayList<>();
        try (SmtpClient smtp = SmtpClient.connect(server.port("smtp"))) {
            SmtpClient.expect(smtp.command("EHLO client.test"), 250);
            for (int i = 1; i <= MESSAGES_PER_CRASH; i++) {
                boolean infected = i % 3 != 0;
                String subject = "crash " + run + " #" + i + " of start " + start + (infected ? " infected" : " clean");
                byte[] message = ("From: sender@client.test\r\nTo: " + user + "\r\nSubject: " + subject
                    + "\r\nMessage-ID: <" + messageId(subject) + ">\r\n\r\n"
                    + (infected ? ClamdProcess.EICAR : "Hello.") + "\r\n").getBytes(ISO_8859_1);
                SmtpClient.expect(smtp.send("sender@client.test", List.of(user), message), 250);
                subjects.add(subject);
            }
        }
        return subjects;
    }

    /** RCPT needs the database (is the recipient a user?): a wedged server leaves it unanswered. */
    private static void assertAcceptsMail(MaildeckInstance server, String user, int start) throws IOException {
        try (SmtpClient smtp = SmtpClient.connect(server.port("smtp"))) {
            SmtpClient.expect(smtp.command("EHLO client.test"), 250);
            SmtpClient.expect(smtp.command("MAIL FROM:<sender@client.test>"), 250);
            SmtpClient.expect(smtp.command("RCPT TO:<" + user + ">"), 250);
            SmtpClient.expect(smtp.command("RSET"), 250);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("start #" + start + " logged ready but does not answer SMTP: " + e.getMessage(), e);
        }
    }

    /**
     * Every message sent so far is in the mailbox (clean) or in the quarantine (infected), none
     * lost at a kill (a second copy is allowed: at-least-once).
     */
    private static void awaitDelivered(MaildeckInstance server, String user, Set<String> sent, int start) throws InterruptedException {
        long deadline = System.nanoTime() + DELIVERY.toNanos();
        Set<String> missing = new HashSet<>(sent);
        while (true) {
            missing.removeAll(subjectsIn(MaildirOnDisk.messages(server.maildir(user))));
            missing.removeAll(subjectsIn(quarantined(server)));
            if (missing.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                String example = missing.iterator().next();
                throw new AssertionError("start #" + start + ": " + missing.size() + " of " + sent.size()
                    + " messages not delivered after " + DELIVERY + ", e.g. " + example + "; its log:\n"
                    + String.join("\n", logOf(server, example)));
            }
            Thread.sleep(500);
        }
    }

    /** Each message's Message-ID names it, so that its queue ids can be found in the mail log. */
    private static String messageId(String subject) {
        return subject.replace(' ', '.').replace('#', 'n') + "@client.test";
    }

    /**
     * Every server-log line (mail log, warnings, errors) that names a queue id under which the
     * message's Message-ID was logged (one per acceptance).
     */
    private static List<String> logOf(MaildeckInstance server, String subject) {
        Set<String> queueIds = new HashSet<>();
        for (String line : server.mailLogLines()) {
            if (line.contains("message-id=<" + messageId(subject) + ">")) {
                queueIds.add(line.substring(0, line.indexOf(':')));
            }
        }
        return server.serverLog().lines().filter(line -> queueIds.stream().anyMatch(line::contains)).toList();
    }

    private static List<Path> quarantined(MaildeckInstance server) {
        Path virus = server.data().resolve("quarantine/virus");
        if (!Files.isDirectory(virus)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(virus)) {
            return files.filter(file -> !file.getFileName().toString().startsWith(".")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Set<String> subjectsIn(List<Path> messages) {
        Set<String> subjects = new HashSet<>();
        for (Path file : messages) {
            Matcher subject = SUBJECT.matcher(new String(MaildirOnDisk.read(file), ISO_8859_1));
            if (subject.find()) {
                subjects.add(subject.group(1));
            }
        }
        return subjects;
    }
}
