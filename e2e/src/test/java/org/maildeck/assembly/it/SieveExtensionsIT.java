package org.maildeck.assembly.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
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
 * The Sieve extensions Maildeck adds to jSieve at delivery ({@code subaddress},
 * {@code relational}, {@code copy}, {@code variables}, {@code ereject}, {@code mailbox}) and the
 * interpreter's limits, each over real SMTP delivery with the script in Pigeonhole's layout,
 * checked on disk, over IMAP and in the mail log.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class SieveExtensionsIT {

    private static final String DOMAIN = "sieveext.maildir.test";
    private static final Duration DELIVERY = Duration.ofSeconds(30);

    @RegisterExtension
    static final TestServer maildeck = TestServer.shared();

    @Test
    void subaddressDetailFilesMailToUserPlusTagIntoTheTagsFolder() throws Exception {
        String user = newUser("detail");
        activate(user, "require [\"fileinto\", \"envelope\", \"subaddress\"];\r\n"
            + "if envelope :detail \"to\" \"lists\" { fileinto \"Lists\"; }\r\n");
        String subject = "to the tag " + UUID.randomUUID();
        String tagged = user.replace("@", "+lists@");

        send("someone@client.test", tagged, message("someone@client.test", tagged, subject, ""));

        assertThat(MaildirOnDisk.awaitMessageContaining(folder(user, "Lists"), DELIVERY, subject)).isPresent();
        assertThat(MaildirOnDisk.messages(maildeck.instance().maildir(user))).as("INBOX").isEmpty();
    }

    @Test
    void subaddressUserIsTheLocalPartBeforeTheDelimiter() throws Exception {
        String user = newUser("user");
        String localPart = user.substring(0, user.indexOf('@'));
        activate(user, "require [\"fileinto\", \"envelope\", \"subaddress\"];\r\n"
            + "if envelope :user \"to\" \"" + localPart + "\" { fileinto \"Mine\"; }\r\n");
        String subject = "any tag " + UUID.randomUUID();
        String tagged = user.replace("@", "+whatever@");

        send("someone@client.test", tagged, message("someone@client.test", tagged, subject, ""));

        assertThat(MaildirOnDisk.awaitMessageContaining(folder(user, "Mine"), DELIVERY, subject)).isPresent();
    }

    @Test
    void relationalCountOfReceivedHeadersFilesAMailThatTookManyHops() throws Exception {
        String user = newUser("count");
        activate(user, "require [\"fileinto\", \"relational\", \"comparator-i;ascii-numeric\"];\r\n"
            + "if header :count \"ge\" :comparator \"i;ascii-numeric\" \"Received\" \"5\" { fileinto \"ManyHops\"; }\r\n");
        String subject = "far travelled " + UUID.randomUUID();
        StringBuilder hops = new StringBuilder();
        for (int hop = 1; hop <= 5; hop++) {
            hops.append("Received: from relay").append(hop).append(".client.test by mx.client.test; Mon, 7 Dec 2026 04:00:0")
                .append(hop).append(" +0000\r\n");
        }

        send("someone@client.test", user, message("someone@client.test", user, subject, hops.toString()));

        assertThat(MaildirOnDisk.awaitMessageContaining(folder(user, "ManyHops"), DELIVERY, subject)).isPresent();
    }

    @Test
    void relationalValueComparesAHeaderAsANumber() throws Exception {
        String user = newUser("value");
        activate(user, "require [\"fileinto\", \"relational\", \"comparator-i;ascii-numeric\"];\r\n"
            + "if header :value \"gt\" :comparator \"i;ascii-numeric\" \"X-Priority-Score\" \"9\" { fileinto \"Urgent\"; }\r\n");
        String subject = "score ten " + UUID.randomUUID();

        // as text "10" sorts before "9"; as numbers it is greater
        send("someone@client.test", user, message("someone@client.test", user, subject, "X-Priority-Score: 10\r\n"));

        assertThat(MaildirOnDisk.awaitMessageContaining(folder(user, "Urgent"), DELIVERY, subject)).isPresent();
    }

    @Test
    void fileintoCopyFilesTheMailAndLeavesACopyInTheInbox() throws Exception {
        String user = newUser("copy");
        activate(user, "require [\"fileinto\", \"copy\"];\r\nfileinto :copy \"Archive\";\r\n");
        String subject = "archived and kept " + UUID.randomUUID();

        send("someone@client.test", user, message("someone@client.test", user, subject, ""));

        assertThat(MaildirOnDisk.awaitMessageContaining(folder(user, "Archive"), DELIVERY, subject)).isPresent();
        assertThat(MaildirOnDisk.awaitMessageContaining(maildeck.instance().maildir(user), DELIVERY, subject)).as("INBOX").isPresent();
        try (ImapWire imap = ImapWire.login(maildeck.instance(), user, TestServer.PASSWORD)) {
            assertThat(imap.ok("EXAMINE Archive").lines("1 EXISTS")).hasSize(1);
            assertThat(imap.ok("EXAMINE INBOX").lines("1 EXISTS")).hasSize(1);
        }
    }

    @Test
    void twoFileintosFileACopyIntoEachFolder() throws Exception {
        String user = newUser("twofolders");
        activate(user, "require \"fileinto\";\r\nfileinto \"First\";\r\nfileinto \"Second\";\r\n");
        String subject = "in both " + UUID.randomUUID();

        send("someone@client.test", user, message("someone@client.test", user, subject, ""));

        assertThat(MaildirOnDisk.awaitMessageContaining(folder(user, "First"), DELIVERY, subject)).isPresent();
        assertThat(MaildirOnDisk.awaitMessageContaining(folder(user, "Second"), DELIVERY, subject)).isPresent();
        assertThat(MaildirOnDisk.messages(maildeck.instance().maildir(user))).as("INBOX").isEmpty();
    }

    @Test
    void redirectCopySendsTheMailOnAndKeepsItHere() throws Exception {
        String user = newUser("redircopy");
        String deputy = newUser("copydeputy");
        activate(user, "require \"copy\";\r\nredirect :copy \"" + deputy + "\";\r\n");
        String subject = "for both of us " + UUID.randomUUID();

        send("someone@client.test", user, message("someone@client.test", user, subject, ""));

        assertThat(MaildirOnDisk.awaitMessageContaining(maildeck.instance().maildir(deputy), DELIVERY, subject)).as("deputy").isPresent();
        assertThat(MaildirOnDisk.awaitMessageContaining(maildeck.instance().maildir(user), DELIVERY, subject)).as("user's INBOX").isPresent();
    }

    @Test
    void setWithAMatchVariableFilesIntoAFolderNamedFromTheSubject() throws Exception {
        String user = newUser("variables");
        activate(user, "require [\"fileinto\", \"variables\"];\r\n"
            + "if header :matches \"Subject\" \"[*] *\" {\r\n  set :lower \"list\" \"${1}\";\r\n  fileinto \"Lists.${list}\";\r\n}\r\n");
        String subject = "[ACME-Users] version 1.0 is out " + UUID.randomUUID();

        send("someone@client.test", user, message("someone@client.test", user, subject, ""));

        assertThat(MaildirOnDisk.awaitMessageContaining(folder(user, "Lists.acme-users"), DELIVERY, subject)).isPresent();
        try (ImapWire imap = ImapWire.login(maildeck.instance(), user, TestServer.PASSWORD)) {
            assertThat(imap.ok("EXAMINE Lists.acme-users").lines("1 EXISTS")).hasSize(1);
        }
    }

    @Test
    void stringTestComparesAVariableTheScriptSet() throws Exception {
        String user = newUser("string");
        activate(user, "require [\"fileinto\", \"variables\"];\r\n"
            + "if address :matches \"From\" \"*@*\" { set \"domain\" \"${2}\"; }\r\n"
            + "if string :is \"${domain}\" \"client.test\" { fileinto \"FromClient\"; }\r\n");
        String subject = "from the client " + UUID.randomUUID();

        send("someone@client.test", user, message("someone@client.test", user, subject, ""));

        assertThat(MaildirOnDisk.awaitMessageContaining(folder(user, "FromClient"), DELIVERY, subject)).isPresent();
    }

    @Test
    void withoutRequireVariablesADollarBraceIsPlainText() throws Exception {
        String user = newUser("novars");
        activate(user, "require \"fileinto\";\r\nif header :is \"Subject\" \"${literal}\" { fileinto \"Literal\"; }\r\n");

        send("someone@client.test", user, message("someone@client.test", user, "${literal}", ""));

        assertThat(MaildirOnDisk.awaitMessageContaining(folder(user, "Literal"), DELIVERY, "${literal}")).isPresent();
    }

    @Test
    void anExpansionLongerThanTheLimitFailsTheScriptAndKeepsTheMail() throws Exception {
        String user = newUser("longexpansion");
        String value = "x".repeat(4000);
        activate(user, "require \"variables\";\r\nset \"a\" \"" + value + "\";\r\n"
            + "if header :contains \"Subject\" \"" + "${a}".repeat(20) + "\" { discard; }\r\n");
        String subject = "kept " + UUID.randomUUID();

        send("someone@client.test", user, message("someone@client.test", user, subject, ""));

        assertThat(MaildirOnDisk.awaitMessageContaining(maildeck.instance().maildir(user), DELIVERY, subject)).isPresent();
        maildeck.instance().awaitMailLog(Pattern.compile(Pattern.quote("to=<" + user + ">, relay=sieve, script failed (a string longer than")), DELIVERY);
    }

    @Test
    void erejectBouncesTheMailToTheSenderWithTheReason() throws Exception {
        String user = newUser("ereject");
        String sender = newUser("erejected");
        activate(user, "require \"ereject\";\r\nereject \"I do not take attachments.\";\r\n");
        String subject = "with an attachment " + UUID.randomUUID();

        send(sender, user, message(sender, user, subject, ""));

        String notice = MaildirOnDisk.awaitMessageContaining(maildeck.instance().maildir(sender), DELIVERY, "I do not take attachments.").orElseThrow();
        assertThat(notice).contains("Return-Path: <>").contains("multipart/report").contains("5.7.1");
        maildeck.instance().awaitMailLog(Pattern.compile(Pattern.quote("to=<" + user + ">, relay=sieve, status=rejected (I do not take attachments.)")), DELIVERY);
        assertThat(MaildirOnDisk.messages(maildeck.instance().maildir(user))).isEmpty();
    }

    @Test
    void fileintoCreateFilesIntoAFolderThatDidNotExist() throws Exception {
        String user = newUser("create");
        activate(user, "require [\"fileinto\", \"mailbox\"];\r\nfileinto :create \"Projects.Launch\";\r\n");
        String subject = "a new project " + UUID.randomUUID();

        send("someone@client.test", user, message("someone@client.test", user, subject, ""));

        assertThat(MaildirOnDisk.awaitMessageContaining(folder(user, "Projects.Launch"), DELIVERY, subject)).isPresent();
        try (ImapWire imap = ImapWire.login(maildeck.instance(), user, TestServer.PASSWORD)) {
            assertThat(imap.ok("LIST \"\" \"Projects.*\"").lines()).anyMatch(line -> line.contains("Projects.Launch"));
        }
    }

    @Test
    void mailboxexistsTellsAFolderTheUserHasFromOneHeDoesNot() throws Exception {
        String user = newUser("exists");
        try (ImapWire imap = ImapWire.login(maildeck.instance(), user, TestServer.PASSWORD)) {
            imap.ok("CREATE Work");
        }
        activate(user, "require [\"fileinto\", \"mailbox\"];\r\n"
            + "if allof (mailboxexists \"Work\", not mailboxexists \"Missing\") { fileinto \"Work\"; }\r\n");
        String subject = "work " + UUID.randomUUID();

        send("someone@client.test", user, message("someone@client.test", user, subject, ""));

        assertThat(MaildirOnDisk.awaitMessageContaining(folder(user, "Work"), DELIVERY, subject)).isPresent();
    }

    @Test
    void aScriptNestedDeeperThanTheLimitIsRefusedAndTheMailKept() throws Exception {
        String user = newUser("nesting");
        activate(user, "if true {\r\n".repeat(40) + "discard;\r\n" + "}\r\n".repeat(40));
        String subject = "not discarded " + UUID.randomUUID();

        send("someone@client.test", user, message("someone@client.test", user, subject, ""));

        assertThat(MaildirOnDisk.awaitMessageContaining(maildeck.instance().maildir(user), DELIVERY, subject)).isPresent();
        maildeck.instance().awaitMailLog(Pattern.compile(Pattern.quote("to=<" + user + ">, relay=sieve, script failed (the script is nested too deeply")),
            DELIVERY);
    }

    @Test
    void aScriptNestedDeeperThanTheStackIsRefusedAndTheMailKept() throws Exception {
        String user = newUser("deepstack");
        activate(user, "if " + "not ".repeat(200_000) + "false { discard; }\r\n");
        String subject = "not discarded either " + UUID.randomUUID();

        send("someone@client.test", user, message("someone@client.test", user, subject, ""));

        assertThat(MaildirOnDisk.awaitMessageContaining(maildeck.instance().maildir(user), DELIVERY, subject)).isPresent();
        maildeck.instance().awaitMailLog(Pattern.compile(Pattern.quote("to=<" + user + ">, relay=sieve, script failed (the script is nested too deeply")),
            DELIVERY);
    }

    @Test
    void moreRedirectsThanTheLimitFailTheScriptAndKeepTheMail() throws Exception {
        String user = newUser("redirects");
        StringBuilder script = new StringBuilder();
        for (int copy = 0; copy < 5; copy++) {
            script.append("redirect \"nobody").append(copy).append("@client.test\";\r\n");
        }
        activate(user, script.toString());
        String subject = "not forwarded five times " + UUID.randomUUID();

        send("someone@client.test", user, message("someone@client.test", user, subject, ""));

        assertThat(MaildirOnDisk.awaitMessageContaining(maildeck.instance().maildir(user), DELIVERY, subject)).isPresent();
        maildeck.instance().awaitMailLog(Pattern.compile(Pattern.quote("to=<" + user + ">, relay=sieve, script failed (") + ".*more than 4 redirects"),
            DELIVERY);
    }

    // ---------------------------------------------------------------------------------------

    private static String newUser(String prefix) {
        return maildeck.newUser(prefix, DOMAIN);
    }

    private static Path folder(String user, String name) {
        return MaildirOnDisk.folder(maildeck.instance().maildir(user), name);
    }

    private static void activate(String user, String script) throws IOException {
        PigeonholeLayout.activate(maildeck.instance().maildir(user).getParent(), "rules", script);
    }

    private static byte[] message(String from, String to, String subject, String moreHeaders) {
        return ("From: " + from + "\r\nTo: " + to + "\r\nSubject: " + subject + "\r\nMessage-ID: <" + UUID.randomUUID()
            + "@client.test>\r\n" + moreHeaders + "\r\nHello.\r\n").getBytes(ISO_8859_1);
    }

    private static void send(String sender, String recipient, byte[] message) throws IOException {
        SmtpClient.deliver(maildeck.port("smtp"), sender, List.of(recipient), message);
    }
}
