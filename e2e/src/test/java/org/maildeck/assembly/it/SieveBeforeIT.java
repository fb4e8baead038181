package org.maildeck.assembly.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The global script run before each recipient's own (Pigeonhole's {@code sieve_before}):
 * DeliverySieve's {@code before} set to the shipped {@code sieve-before.sieve}, with a rule added
 * to it for these tests.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class SieveBeforeIT {

    private static final String DOMAIN = "before.sieve.test";
    private static final Duration DELIVERY = Duration.ofSeconds(30);
    private static final String ANNOUNCEMENTS = "if header :contains \"Subject\" \"[all-hands]\" { fileinto \"Announcements\"; }\n";

    @RegisterExtension
    static final TestServer maildeck = TestServer.own((fileName, content) -> switch (fileName) {
        case "mailetcontainer.xml" -> content.replace("<maxScriptBytes>1048576</maxScriptBytes>",
            "<maxScriptBytes>1048576</maxScriptBytes><before>file://conf/sieve-before.sieve</before>");
        case "sieve-before.sieve" -> content + ANNOUNCEMENTS;
        default -> content;
    });

    @Test
    void theGlobalScriptFilesTheMailOfAUserWithoutAScriptOfTheirOwn() throws Exception {
        String user = maildeck.newUser("noscript", DOMAIN);
        String subject = "[all-hands] friday " + UUID.randomUUID();

        send(user, subject);

        Path announcements = MaildirOnDisk.folder(maildeck.instance().maildir(user), "Announcements");
        List<Path> filed = MaildirOnDisk.awaitFiles(announcements, "new", 1, DELIVERY);
        assertThat(new String(MaildirOnDisk.read(filed.get(0)), ISO_8859_1)).contains("Subject: " + subject);
    }

    @Test
    void theUsersOwnFileintoAfterTheGlobalScriptWins() throws Exception {
        String user = maildeck.newUser("ownscript", DOMAIN);
        PigeonholeLayout.activate(maildeck.instance().maildir(user).getParent(), "mine",
            "require \"fileinto\";\r\nif header :contains \"Subject\" \"friday\" { fileinto \"Fridays\"; }\r\n");
        String subject = "[all-hands] friday " + UUID.randomUUID();

        send(user, subject);

        Path fridays = MaildirOnDisk.folder(maildeck.instance().maildir(user), "Fridays");
        List<Path> filed = MaildirOnDisk.awaitFiles(fridays, "new", 1, DELIVERY);
        assertThat(new String(MaildirOnDisk.read(filed.get(0)), ISO_8859_1)).contains("Subject: " + subject);
        assertThat(MaildirOnDisk.isMaildir(MaildirOnDisk.folder(maildeck.instance().maildir(user), "Announcements"))).isFalse();
    }

    private static void send(String user, String subject) throws Exception {
        byte[] message = ("From: hr@client.test\r\nTo: " + user + "\r\nSubject: " + subject + "\r\nMessage-ID: <" + UUID.randomUUID()
            + "@client.test>\r\n\r\nCake at four.\r\n").getBytes(ISO_8859_1);
        SmtpClient.deliver(maildeck.port("smtp"), "hr@client.test", List.of(user), message);
    }
}
