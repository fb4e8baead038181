package org.maildeck.assembly.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Subaddresses ({@code recipient_delimiter = +}): {@code user+tag@domain} is taken at RCPT and
 * delivered to {@code user}, with the tag kept in the envelope (Sieve's {@code envelope} test) and
 * in {@code Delivered-To:}; a real user with the full address wins; over real SMTP and LMTP.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class SubaddressIT {

    private static final String DOMAIN = "subaddress.maildir.test";
    private static final Duration DELIVERY = Duration.ofSeconds(30);

    @RegisterExtension
    static final TestServer maildeck = TestServer.shared();

    @Test
    void mailToUserPlusTagIsDeliveredIntoTheUsersInboxWithTheTagInDeliveredTo() throws Exception {
        String user = maildeck.newUser("tagged", DOMAIN);
        String tagged = withTag(user, "news");

        SmtpClient.deliver(maildeck.port("smtp"), "someone@client.test", List.of(tagged), message(tagged, "tagged"));

        List<Path> delivered = MaildirOnDisk.awaitFiles(maildeck.instance().maildir(user), "new", 1, DELIVERY);
        assertThat(new String(MaildirOnDisk.read(delivered.get(0)), ISO_8859_1)).contains("Delivered-To: " + tagged);
        try (ImapWire imap = ImapWire.login(maildeck.instance(), user, TestServer.PASSWORD)) {
            assertThat(imap.ok("EXAMINE INBOX").lines("1 EXISTS")).hasSize(1);
        }
    }

    @Test
    void aTagOnAnUnknownUserIsRefusedAsAnUnknownUser() throws Exception {
        maildeck.domain(DOMAIN);
        try (SmtpClient smtp = SmtpClient.outsiderTransaction(maildeck.port("smtp"), "someone@client.test")) {
            SmtpClient.Reply reply = smtp.command("RCPT TO:<nobody-" + UUID.randomUUID().toString().substring(0, 8) + "+news@" + DOMAIN + ">");
            assertThat(reply.code()).as(reply.toString()).isEqualTo(550);
            assertThat(reply.last()).contains("5.1.1");
        }
    }

    @Test
    void theQuotaOfTheBaseUserRefusesUserPlusTagWhenFull() throws Exception {
        String user = maildeck.newUser("fulltag", DOMAIN);
        SmtpClient.deliver(maildeck.port("smtp"), "someone@client.test", List.of(user), message(user, "the only one"));
        MaildirOnDisk.awaitFiles(maildeck.instance().maildir(user), "new", 1, DELIVERY);
        AdminRequests.setQuota(maildeck.instance(), user, 1, 100L * 1024 * 1024);

        try (SmtpClient smtp = SmtpClient.outsiderTransaction(maildeck.port("smtp"), "someone@client.test")) {
            SmtpClient.Reply reply = smtp.command("RCPT TO:<" + withTag(user, "news") + ">");
            assertThat(reply.code()).as(reply.toString()).isEqualTo(452);
            assertThat(reply.last()).startsWith("452 4.2.2 ");
        }
    }

    @Test
    void aUserWhoseNameHasThePlusGetsItsOwnMail() throws Exception {
        String base = maildeck.newUser("exact", DOMAIN);
        String plusUser = withTag(base, "b");
        maildeck.webAdmin().addUser(plusUser, TestServer.PASSWORD);

        SmtpClient.deliver(maildeck.port("smtp"), "someone@client.test", List.of(plusUser), message(plusUser, "exact"));

        MaildirOnDisk.awaitFiles(maildeck.instance().maildir(plusUser), "new", 1, DELIVERY);
        assertThat(MaildirOnDisk.messages(maildeck.instance().maildir(base))).as("the base user's INBOX").isEmpty();
    }

    @Test
    void aSieveScriptFilesByTheTagOfTheEnvelopeRecipient() throws Exception {
        String user = maildeck.newUser("sievetag", DOMAIN);
        PigeonholeLayout.activate(maildeck.instance().maildir(user).getParent(), "tags",
            "require [\"fileinto\", \"envelope\"];\r\nif envelope :all :contains \"to\" \"+lists\" { fileinto \"lists\"; }\r\n");
        String tagged = withTag(user, "lists");

        SmtpClient.deliver(maildeck.port("smtp"), "someone@client.test", List.of(tagged), message(tagged, "a list"));

        Path lists = MaildirOnDisk.folder(maildeck.instance().maildir(user), "lists");
        MaildirOnDisk.awaitFiles(lists, "new", 1, DELIVERY);
        assertThat(MaildirOnDisk.messages(maildeck.instance().maildir(user))).as("INBOX").isEmpty();
    }

    @Test
    void lmtpTakesUserPlusTag() throws Exception {
        String tagged = withTag(maildeck.newUser("lmtptag", DOMAIN), "news");
        try (SmtpClient lmtp = SmtpClient.connect(maildeck.port("lmtp"))) {
            SmtpClient.expect(lmtp.command("LHLO client.test"), 250);
            SmtpClient.expect(lmtp.command("MAIL FROM:<someone@client.test>"), 250);
            SmtpClient.Reply reply = lmtp.command("RCPT TO:<" + tagged + ">");
            assertThat(reply.code()).as(reply.toString()).isEqualTo(250);
        }
    }

    /** {@code local+tag@domain} for {@code local@domain}. */
    static String withTag(String address, String tag) {
        int at = address.indexOf('@');
        return address.substring(0, at) + "+" + tag + address.substring(at);
    }

    static byte[] message(String to, String subject) {
        return ("From: someone@client.test\r\nTo: " + to + "\r\nSubject: " + subject + "\r\nMessage-ID: <" + UUID.randomUUID()
            + "@client.test>\r\n\r\nHello.\r\n").getBytes(ISO_8859_1);
    }
}
