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

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Sieve at delivery with the scripts where Dovecot Pigeonhole keeps them: {@code sieve/NAME.sieve}
 * in the user's home ({@code <mail root>/<domain>/<localpart>/}) and the active one named by the
 * symlink {@code .dovecot.sieve}, written here on disk as Pigeonhole (or a user's shell) writes
 * them; each action over real SMTP delivery, checked on disk, over IMAP and in the mail log.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class SieveDeliveryIT {

    private static final String DOMAIN = "sieve.maildir.test";
    private static final Duration DELIVERY = Duration.ofSeconds(30);

    @RegisterExtension
    static final TestServer maildeck = TestServer.shared();

    @Test
    void fileintoOfTheActiveScriptFilesIntoTheFolder() throws Exception {
        String user = newUser("fileinto");
        activate(user, "filters", "require \"fileinto\";\r\nif header :contains \"Subject\" \"invoice\" { fileinto \"Accounts.Invoices\"; }\r\n");
        String subject = "invoice " + UUID.randomUUID();

        send("someone@client.test", user, message("someone@client.test", user, subject, ""));

        Path invoices = MaildirOnDisk.folder(maildeck.instance().maildir(user), "Accounts.Invoices");
        List<Path> filed = MaildirOnDisk.awaitFiles(invoices, "new", 1, DELIVERY);
        assertThat(new String(MaildirOnDisk.read(filed.get(0)), ISO_8859_1)).contains("Subject: " + subject);
        assertThat(MaildirOnDisk.messages(maildeck.instance().maildir(user))).as("INBOX").isEmpty();
        try (ImapWire imap = ImapWire.login(maildeck.instance(), user, TestServer.PASSWORD)) {
            assertThat(imap.ok("EXAMINE Accounts.Invoices").lines("1 EXISTS")).hasSize(1);
        }
    }

    @Test
    void aMessageTheScriptDoesNotFileStaysInTheInbox() throws Exception {
        String user = newUser("implicitkeep");
        activate(user, "filters", "require \"fileinto\";\r\nif header :contains \"Subject\" \"invoice\" { fileinto \"Invoices\"; }\r\n");

        send("someone@client.test", user, message("someone@client.test", user, "lunch?", ""));

        MaildirOnDisk.awaitFiles(maildeck.instance().maildir(user), "new", 1, DELIVERY);
        assertThat(MaildirOnDisk.isMaildir(MaildirOnDisk.folder(maildeck.instance().maildir(user), "Invoices"))).isFalse();
    }

    @Test
    void discardDeliversNothingAndSaysSoInTheMailLog() throws Exception {
        String user = newUser("discard");
        activate(user, "filters", "if header :is \"X-Noise\" \"yes\" { discard; }\r\n");

        send("someone@client.test", user, message("someone@client.test", user, "noise", "X-Noise: yes\r\n"));

        maildeck.instance().awaitMailLog(Pattern.compile(Pattern.quote("to=<" + user + ">, relay=sieve, status=discarded")), DELIVERY);
        assertThat(MaildirOnDisk.messages(maildeck.instance().maildir(user))).isEmpty();
    }

    @Test
    void redirectToAnotherLocalUserDeliversThereInsteadOfHere() throws Exception {
        String user = newUser("redirect");
        String deputy = newUser("deputy");
        activate(user, "filters", "redirect \"" + deputy + "\";\r\n");
        String subject = "for the deputy " + UUID.randomUUID();

        send("someone@client.test", user, message("someone@client.test", user, subject, ""));

        String copy = MaildirOnDisk.awaitMessageContaining(maildeck.instance().maildir(deputy), DELIVERY, subject).orElseThrow();
        assertThat(copy).contains("X-Sieve-Redirected-From: " + user).contains("Return-Path: <someone@client.test>");
        maildeck.instance().awaitMailLog(Pattern.compile(Pattern.quote("to=<" + user + ">, relay=sieve, status=redirected to <" + deputy + ">")), DELIVERY);
        assertThat(MaildirOnDisk.messages(maildeck.instance().maildir(user))).isEmpty();
    }

    @Test
    void twoUsersRedirectingToEachOtherStopAtTheFirstRepeatAndKeepTheMail() throws Exception {
        String first = newUser("loopa");
        String second = newUser("loopb");
        activate(first, "away", "redirect \"" + second + "\";\r\n");
        activate(second, "away", "redirect \"" + first + "\";\r\n");
        String subject = "round and round " + UUID.randomUUID();

        send("someone@client.test", first, message("someone@client.test", first, subject, ""));

        String kept = MaildirOnDisk.awaitMessageContaining(maildeck.instance().maildir(first), DELIVERY, subject).orElseThrow();
        assertThat(kept).contains("X-Sieve-Redirected-From: " + first).contains("X-Sieve-Redirected-From: " + second);
        maildeck.instance().awaitMailLog(Pattern.compile(Pattern.quote("to=<" + first + ">, relay=sieve, redirect to <" + second + "> refused: mail loop")),
            DELIVERY);
        assertThat(MaildirOnDisk.messages(maildeck.instance().maildir(second))).isEmpty();
    }

    @Test
    void rejectTellsTheSenderAndDeliversNothing() throws Exception {
        String user = newUser("reject");
        String sender = newUser("rejected");
        activate(user, "filters", "require \"reject\";\r\nreject \"No thanks.\";\r\n");

        send(sender, user, message(sender, user, "an offer", ""));

        String notice = MaildirOnDisk.awaitMessageContaining(maildeck.instance().maildir(sender), DELIVERY, "No thanks.").orElseThrow();
        assertThat(notice).contains("refused by the recipient's mail filtering program").contains("Return-Path: <>");
        assertThat(MaildirOnDisk.messages(maildeck.instance().maildir(user))).isEmpty();
    }

    @Test
    void vacationAnswersASenderOncePerPeriodFromTheNullSender() throws Exception {
        String user = newUser("vacation");
        String sender = newUser("correspondent");
        activate(user, "away", "require \"vacation\";\r\nvacation :days 3 :subject \"Away until Monday\" \"I am away.\";\r\n");

        send(sender, user, message(sender, user, "first", ""));
        send(sender, user, message(sender, user, "second", ""));

        maildeck.instance().awaitMailLog(Pattern.compile(Pattern.quote("to=<" + user + ">, relay=sieve, vacation: no reply (<" + sender + "> answered within 3d)")),
            DELIVERY);
        String reply = MaildirOnDisk.awaitMessageContaining(maildeck.instance().maildir(sender), DELIVERY, "Away until Monday").orElseThrow();
        assertThat(reply).contains("Return-Path: <>").contains("Auto-Submitted: auto-replied").contains("I am away.");
        MaildirOnDisk.awaitFiles(maildeck.instance().maildir(user), "new", 2, DELIVERY);
        Thread.sleep(2000); // a second reply, were there one, would be delivered by now
        assertThat(MaildirOnDisk.messages(maildeck.instance().maildir(sender))).hasSize(1);
        assertThat(Files.exists(home(user).resolve(".maildeck.vacation"))).isTrue();
    }

    @Test
    void vacationRepliesFromTheAddressItsFromNames() throws Exception {
        String user = newUser("vacfrom");
        String sender = newUser("corrfrom");
        activate(user, "away", "require \"vacation\";\r\nvacation :from \"Front Desk <desk@" + DOMAIN + ">\" :subject \"Desk away\" \"Back soon.\";\r\n");

        send(sender, user, message(sender, user, "from test", ""));

        String reply = MaildirOnDisk.awaitMessageContaining(maildeck.instance().maildir(sender), DELIVERY, "Desk away").orElseThrow();
        assertThat(reply).contains("From: Front Desk <desk@" + DOMAIN + ">").contains("Back soon.");
    }

    @Test
    void vacationAnswersMailAddressedToOneOfItsAddressesOnly() throws Exception {
        String user = newUser("vacaddr");
        String sender = newUser("corraddr");
        activate(user, "away", "require \"vacation\";\r\nvacation :addresses [\"sales@" + DOMAIN + "\"] :subject \"Sales away\" \"Back soon.\";\r\n");

        send(sender, user, message(sender, "someone-else@" + DOMAIN, "not to me", ""));
        maildeck.instance().awaitMailLog(Pattern.compile(Pattern.quote("to=<" + user + ">, relay=sieve, vacation: no reply (recipient not in To/Cc)")),
            DELIVERY);
        send(sender, user, message(sender, "sales@" + DOMAIN, "to sales", ""));

        String reply = MaildirOnDisk.awaitMessageContaining(maildeck.instance().maildir(sender), DELIVERY, "Sales away").orElseThrow();
        assertThat(reply).contains("Back soon.");
        assertThat(MaildirOnDisk.messages(maildeck.instance().maildir(sender))).hasSize(1);
    }

    @Test
    void vacationNeverAnswersTheNullSender() throws Exception {
        String user = newUser("vacnull");
        activate(user, "away", "require \"vacation\";\r\nvacation \"I am away.\";\r\n");

        send("", user, message("mailer-daemon@client.test", user, "Undelivered Mail", ""));

        maildeck.instance().awaitMailLog(Pattern.compile(Pattern.quote("to=<" + user + ">, relay=sieve, vacation: no reply (sender <>)")), DELIVERY);
    }

    @Test
    void vacationNeverAnswersListMail() throws Exception {
        String user = newUser("vaclist");
        String list = newUser("list");
        activate(user, "away", "require \"vacation\";\r\nvacation \"I am away.\";\r\n");

        send(list, user, message(list, user, "[list] news", "List-Id: <news.lists.test>\r\n"));

        maildeck.instance().awaitMailLog(Pattern.compile(Pattern.quote("to=<" + user + ">, relay=sieve, vacation: no reply (list mail)")), DELIVERY);
        MaildirOnDisk.awaitFiles(maildeck.instance().maildir(user), "new", 1, DELIVERY);
        assertThat(MaildirOnDisk.messages(maildeck.instance().maildir(list))).isEmpty();
    }

    @Test
    void vacationNeverAnswersAnAutoReply() throws Exception {
        String user = newUser("vacauto");
        String other = newUser("otherauto");
        activate(user, "away", "require \"vacation\";\r\nvacation \"I am away.\";\r\n");

        send(other, user, message(other, user, "Auto: hello", "Auto-Submitted: auto-replied\r\n"));

        maildeck.instance().awaitMailLog(Pattern.compile(Pattern.quote("to=<" + user + ">, relay=sieve, vacation: no reply (Auto-Submitted: auto-replied)")),
            DELIVERY);
        assertThat(MaildirOnDisk.messages(maildeck.instance().maildir(other))).isEmpty();
    }

    @Test
    void aBrokenScriptLeavesTheMailInTheInboxAndTheLogSaysWhy() throws Exception {
        String user = newUser("broken");
        activate(user, "broken", "if header :contains \"Subject\" { discard;\r\n");
        String subject = "despite the script " + UUID.randomUUID();

        send("someone@client.test", user, message("someone@client.test", user, subject, ""));

        List<Path> inbox = MaildirOnDisk.awaitFiles(maildeck.instance().maildir(user), "new", 1, DELIVERY);
        assertThat(new String(MaildirOnDisk.read(inbox.get(0)), ISO_8859_1)).contains("Subject: " + subject);
        maildeck.instance().awaitMailLog(Pattern.compile(Pattern.quote("to=<" + user + ">, relay=sieve, script failed (") + ".*\\), kept in INBOX"), DELIVERY);
    }

    @Test
    void anExtensionJsieveLacksLeavesTheMailInTheInbox() throws Exception {
        String user = newUser("noeditheader");
        activate(user, "edit", "require \"editheader\";\r\naddheader \"X-Seen\" \"yes\";\r\ndiscard;\r\n");

        send("someone@client.test", user, message("someone@client.test", user, "flag me", ""));

        MaildirOnDisk.awaitFiles(maildeck.instance().maildir(user), "new", 1, DELIVERY);
        maildeck.instance().awaitMailLog(Pattern.compile(Pattern.quote("to=<" + user + ">, relay=sieve, script failed (")), DELIVERY);
    }

    @Test
    void imap4flagsMarkTheCopyInItsMaildirFileName() throws Exception {
        String user = newUser("flags");
        activate(user, "flags", "require [\"imap4flags\", \"fileinto\"];\r\n"
            + "addflag [\"\\\\Seen\", \"$Work\"];\r\naddflag \"\\\\Flagged\";\r\nremoveflag \"\\\\Flagged\";\r\nfileinto \"Work\";\r\n");
        String subject = "already read " + UUID.randomUUID();

        send("someone@client.test", user, message("someone@client.test", user, subject, ""));

        Path work = MaildirOnDisk.folder(maildeck.instance().maildir(user), "Work");
        MaildirOnDisk.awaitMessageContaining(work, DELIVERY, subject).orElseThrow();
        Path file = MaildirOnDisk.messages(work).get(0);
        assertThat(MaildirOnDisk.flagLetters(file)).as("flags of %s", file).hasValueSatisfying(letters ->
            assertThat(letters).contains("S").doesNotContain("F"));
        assertThat(MaildirOnDisk.keywords(work)).containsValue("$Work");
        try (ImapWire imap = ImapWire.login(maildeck.instance(), user, TestServer.PASSWORD)) {
            imap.ok("EXAMINE Work");
            String fetched = imap.ok("FETCH 1 (FLAGS)").lines().stream().filter(line -> line.startsWith("* 1 FETCH")).findFirst().orElseThrow();
            assertThat(fetched).contains("\\Seen").contains("$Work").doesNotContain("\\Flagged");
        }
    }

    @Test
    void anActiveSymlinkLeadingOutOfTheHomeIsNotFollowed() throws Exception {
        String user = newUser("escape");
        Path outside = Files.writeString(maildeck.instance().data().resolve("planted-" + UUID.randomUUID() + ".sieve"), "discard;\r\n");
        Path home = Files.createDirectories(home(user));
        Files.createSymbolicLink(home.resolve(".dovecot.sieve"), outside);

        send("someone@client.test", user, message("someone@client.test", user, "not discarded", ""));

        MaildirOnDisk.awaitFiles(maildeck.instance().maildir(user), "new", 1, DELIVERY);
        maildeck.instance().awaitMailLog(Pattern.compile(Pattern.quote("to=<" + user + ">, relay=sieve, script failed (.dovecot.sieve leads outside the user's home")),
            DELIVERY);
    }

    @Test
    void aCatastrophicMatchesPatternIsCutShortAndTheMailKept() throws Exception {
        String user = newUser("regexbomb");
        activate(user, "bomb", "if header :matches \"Subject\" \"*a*a*a*a*a*a*a*a*a*a*b\" { discard; }\r\n");
        String line = "a".repeat(900);
        String subject = String.join("\r\n ", line, line, line, line, line);

        long started = System.nanoTime();
        send("someone@client.test", user, message("someone@client.test", user, subject, ""));

        MaildirOnDisk.awaitFiles(maildeck.instance().maildir(user), "new", 1, DELIVERY);
        maildeck.instance().awaitMailLog(Pattern.compile(Pattern.quote("to=<" + user + ">, relay=sieve, script failed (") + ".*gave up after"), DELIVERY);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(DELIVERY);
    }

    // ---------------------------------------------------------------------------------------

    private static String newUser(String prefix) {
        return maildeck.newUser(prefix, DOMAIN);
    }

    private static Path home(String user) {
        return maildeck.instance().maildir(user).getParent();
    }

    private static void activate(String user, String name, String script) throws IOException {
        PigeonholeLayout.activate(home(user), name, script);
    }

    private static byte[] message(String from, String to, String subject, String moreHeaders) {
        return ("From: " + from + "\r\nTo: " + to + "\r\nSubject: " + subject + "\r\nMessage-ID: <" + UUID.randomUUID()
            + "@client.test>\r\n" + moreHeaders + "\r\nHello.\r\n").getBytes(ISO_8859_1);
    }

    private static void send(String sender, String recipient, byte[] message) throws IOException {
        SmtpClient.deliver(maildeck.port("smtp"), sender, List.of(recipient), message);
    }
}
