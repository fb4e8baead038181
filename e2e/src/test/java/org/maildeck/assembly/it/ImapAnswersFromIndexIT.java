package org.maildeck.assembly.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.maildeck.assembly.it.TestServer.PASSWORD;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * STATUS and FETCH of flags answered from the folder index (imap's IndexStatusProcessor and
 * IndexFlagsFetchProcessor) and ENVELOPE kept per
 * message (james-overrides' RememberedEnvelopes): the answers stay those of the folder as it is
 * now, whatever another program did to it, and a kept envelope is never another message's.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ImapAnswersFromIndexIT {

    private static final String DOMAIN = "index.maildeck.test";

    @RegisterExtension
    static final TestServer server = TestServer.shared();

    @Test
    void statusCountsWhatAnotherProgramMarkedSeenAndRemoved() throws IOException {
        String user = server.newUser("status", DOMAIN);
        try (ImapWire imap = ImapWire.login(server.instance(), user, PASSWORD)) {
            appendThree(imap);
            assertThat(status(imap, "INBOX")).contains("MESSAGES 3", "UNSEEN 3", "UIDNEXT 4");

            readOneAndExpungeAnotherAsDovecotWould(server.instance().maildir(user));

            assertThat(status(imap, "INBOX")).contains("MESSAGES 2", "UNSEEN 1", "UIDNEXT 4");
        }
    }

    @Test
    void statusOfAFolderUntouchedForAMinuteSeesWhatAnotherProgramChangedSince() throws IOException {
        String user = server.newUser("aged", DOMAIN);
        try (ImapWire imap = ImapWire.login(server.instance(), user, PASSWORD)) {
            appendThree(imap);
            // mtimes a sync trusts, so that the figures are remembered and given again unread
            Path maildir = server.instance().maildir(user);
            FileTime minuteAgo = FileTime.from(Instant.now().minus(Duration.ofMinutes(1)));
            Files.setLastModifiedTime(maildir.resolve("new"), minuteAgo);
            Files.setLastModifiedTime(maildir.resolve("cur"), minuteAgo);
            assertThat(status(imap, "INBOX")).contains("MESSAGES 3", "UNSEEN 3");
            assertThat(status(imap, "INBOX")).contains("MESSAGES 3", "UNSEEN 3");

            readOneAndExpungeAnotherAsDovecotWould(maildir);

            assertThat(status(imap, "INBOX")).contains("MESSAGES 2", "UNSEEN 1", "UIDNEXT 4");
        }
    }

    private static void appendThree(ImapWire imap) throws IOException {
        for (String subject : List.of("one", "two", "three")) {
            imap.appendOk("INBOX", null, message(subject));
        }
    }

    /** What Dovecot does for a client that read one message and expunged another. */
    private static void readOneAndExpungeAnotherAsDovecotWould(Path maildir) throws IOException {
        List<Path> files = MaildirOnDisk.messages(maildir);
        Path read = files.get(0);
        Files.move(read, read.getParent().resolveSibling("cur").resolve(MaildirOnDisk.base(read) + ":2,S"));
        Files.delete(files.get(1));
    }

    @Test
    void fetchOfFlagsShowsWhatAnotherProgramMarkedSeen() throws IOException {
        String user = server.newUser("flags", DOMAIN);
        try (ImapWire imap = ImapWire.login(server.instance(), user, PASSWORD)) {
            imap.appendOk("INBOX", null, message("one"));
            imap.ok("SELECT INBOX");
            assertThat(imap.ok("UID FETCH 1:* (FLAGS)").lines("1 FETCH")).singleElement()
                .satisfies(line -> assertThat(line).contains("UID 1").doesNotContain("\\Seen"));

            // what Dovecot does for a client that read the message
            Path read = MaildirOnDisk.messages(server.instance().maildir(user)).get(0);
            Files.move(read, read.getParent().resolveSibling("cur").resolve(MaildirOnDisk.base(read) + ":2,S"));

            assertThat(imap.ok("UID FETCH 1:* (FLAGS)").lines("1 FETCH")).isNotEmpty()
                .allSatisfy(line -> assertThat(line).contains("\\Seen"));
        }
    }

    @Test
    void statusNamesInboxAsInboxWhateverTheCaseAsked() throws IOException {
        String user = server.newUser("inbox", DOMAIN);
        try (ImapWire imap = ImapWire.login(server.instance(), user, PASSWORD)) {
            assertThat(status(imap, "inbox")).startsWith("* STATUS \"INBOX\" (").contains("MESSAGES 0", "UIDNEXT 1");
        }
    }

    @Test
    void statusOfAFolderThatDoesNotExistIsRefused() throws IOException {
        String user = server.newUser("nowhere", DOMAIN);
        try (ImapWire imap = ImapWire.login(server.instance(), user, PASSWORD)) {
            ImapWire.Reply reply = imap.command("STATUS Nowhere (MESSAGES UIDNEXT UNSEEN)");

            assertThat(reply.tagged()).matches("\\S+ NO .*");
            assertThat(reply.lines("STATUS")).isEmpty();
        }
    }

    @Test
    void theSameUidInAnotherUsersFolderHasItsOwnEnvelope() throws IOException {
        String alice = server.newUser("alice", DOMAIN);
        String bob = server.newUser("bob", DOMAIN);
        assertThat(envelopesTwice(alice, "for alice")).allSatisfy(envelope -> assertThat(envelope).contains("\"for alice\""));
        assertThat(envelopesTwice(bob, "for bob")).allSatisfy(envelope -> assertThat(envelope).contains("\"for bob\""));
    }

    /** FETCH 1 (ENVELOPE) of a folder holding one message with this subject, twice. */
    private static List<String> envelopesTwice(String user, String subject) throws IOException {
        try (ImapWire imap = ImapWire.login(server.instance(), user, PASSWORD)) {
            imap.appendOk("INBOX", null, message(subject));
            imap.ok("SELECT INBOX");
            String first = imap.ok("FETCH 1 (ENVELOPE)").lines("1 FETCH").get(0);
            String second = imap.ok("FETCH 1 (ENVELOPE)").lines("1 FETCH").get(0);
            return List.of(first, second);
        }
    }

    private static String status(ImapWire imap, String folder) throws IOException {
        return imap.ok("STATUS " + folder + " (MESSAGES UIDNEXT UNSEEN UIDVALIDITY)").lines("STATUS").get(0);
    }

    private static byte[] message(String subject) {
        return ImapOnMaildirIT.message(subject, "sender@" + DOMAIN, "Body.");
    }
}
