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
import org.maildeck.maildir.MaildirFolder;
import org.maildeck.maildir.MaildirStore;

/** The STATUS figures of a folder, read from its index. */
class FolderStatusTest {

    private static final Username ALICE = Username.of("alice@example.com");

    @TempDir
    Path root;

    private MaildirStore store;
    private MaildirFolder inbox;
    private long uidValidity;

    @BeforeEach
    void createInbox() throws Exception {
        store = new MaildirStore(root, List.of(), "testhost", FsyncListener.NONE);
        inbox = store.create(ALICE.asString(), "INBOX", 1795243169L);
        uidValidity = inbox.identity().uidValidity();
    }

    private IndexEntry deliver(Flags flags) throws Exception {
        return inbox.deliver(new ByteArrayInputStream("Subject: hi\r\n\r\nbody\r\n".getBytes(UTF_8)), flags, new Date(), Optional.empty());
    }

    @Test
    void countsMessagesAndThoseWithoutSeenAndGivesTheNextUid() throws Exception {
        deliver(new Flags(Flags.Flag.SEEN));
        deliver(new Flags());
        deliver(new Flags(Flags.Flag.FLAGGED));

        assertThat(FolderStatus.of(inbox)).isEqualTo(new FolderStatus(3, 2, 4, uidValidity));
    }

    @Test
    void anEmptyFolderHasTheFirstUidNext() throws Exception {
        assertThat(FolderStatus.of(inbox)).isEqualTo(new FolderStatus(0, 0, 1, uidValidity));
    }

    @Test
    void aMessageAnotherProgramMarkedSeenIsNoLongerUnseen() throws Exception {
        IndexEntry unseen = deliver(new Flags());
        assertThat(FolderStatus.of(inbox).unseen()).isEqualTo(1);

        Path file = inbox.fileOf(unseen.uid());
        Files.move(file, inbox.directory().resolve("cur").resolve(unseen.base() + ":2,S"));

        assertThat(FolderStatus.of(inbox)).isEqualTo(new FolderStatus(1, 0, 2, uidValidity));
    }

    @Test
    void aFolderThatDoesNotExistHasNoStatus() throws Exception {
        assertThat(new MaildirMailboxes(store).status(ALICE, "Nowhere")).isEmpty();
    }
}
