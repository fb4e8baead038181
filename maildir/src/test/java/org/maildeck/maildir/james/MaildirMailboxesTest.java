package org.maildeck.maildir.james;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Date;
import java.util.List;
import java.util.Optional;

import javax.mail.Flags;

import org.apache.james.core.Username;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.maildeck.durability.FsyncListener;
import org.maildeck.maildir.IndexEntry;
import org.maildeck.maildir.MaildirStore;

/** The check for an earlier delivery that the Maildir delivery makes before storing a copy. */
class MaildirMailboxesTest {

    private static final Username ALICE = Username.of("alice@example.com");
    private static final String MESSAGE = "Subject: hi\r\n\r\nbody\r\n";

    @TempDir
    Path root;

    private MaildirStore store;
    private MaildirMailboxes mailboxes;

    @BeforeEach
    void createStore() {
        store = new MaildirStore(root, List.of(), "testhost", FsyncListener.NONE);
        mailboxes = new MaildirMailboxes(store);
    }

    @Test
    void aDeliveryStoredUnderTheKeyIsFound() throws Exception {
        store.create(ALICE.asString(), "INBOX", 1795243169L);
        IndexEntry stored = store.folder(ALICE.asString(), "INBOX")
            .deliver(new ByteArrayInputStream(MESSAGE.getBytes(UTF_8)), new Flags(), new Date(), Optional.of("Mail1 alice INBOX c01234567.21"));

        Optional<IndexEntry> found = mailboxes.earlierDelivery(ALICE, "INBOX", "Mail1 alice INBOX c01234567.21", () -> "unused");

        assertThat(found.map(IndexEntry::uid)).contains(stored.uid());
    }

    @Test
    void aFolderThatDoesNotExistHasNoEarlierDeliveryAndIsNotCreated() throws Exception {
        Optional<IndexEntry> found = mailboxes.earlierDelivery(ALICE, "Lists", "Mail1 alice Lists c01234567.21", () -> "unused");

        assertThat(found).isEmpty();
        assertThat(Files.exists(root.resolve("example.com"))).isFalse();
    }

    @Test
    void aFileWhereTheMaildirShouldBeMeansNoEarlierDeliveryAndLeavesTheReasonToTheDelivery() throws Exception {
        Path maildir = root.resolve("example.com").resolve("alice").resolve("Maildir");
        Files.createDirectories(maildir.getParent());
        Files.writeString(maildir, "in the way");

        Optional<IndexEntry> found = mailboxes.earlierDelivery(ALICE, "INBOX", "Mail1 alice INBOX c01234567.21", () -> "unused");

        assertThat(found).isEmpty();
    }
}
