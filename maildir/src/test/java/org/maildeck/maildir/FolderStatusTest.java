package org.maildeck.maildir;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;

import javax.mail.Flags;

import org.apache.james.core.Username;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.maildeck.durability.FsyncListener;
import org.maildeck.maildir.james.MaildirMailboxes;

/** The STATUS figures of a folder, read from its index, and given again while nothing changed. */
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

        assertThat(inbox.status()).isEqualTo(new FolderStatus(3, 2, 4, uidValidity));
    }

    @Test
    void anEmptyFolderHasTheFirstUidNext() throws Exception {
        assertThat(inbox.status()).isEqualTo(new FolderStatus(0, 0, 1, uidValidity));
    }

    @Test
    void aMessageAnotherProgramMarkedSeenIsNoLongerUnseen() throws Exception {
        IndexEntry unseen = deliver(new Flags());
        assertThat(inbox.status().unseen()).isEqualTo(1);

        Path file = inbox.fileOf(unseen.uid());
        Files.move(file, inbox.directory().resolve("cur").resolve(unseen.base() + ":2,S"));

        assertThat(inbox.status()).isEqualTo(new FolderStatus(1, 0, 2, uidValidity));
    }

    @Test
    void aFolderThatDoesNotExistHasNoStatus() throws Exception {
        assertThat(new MaildirMailboxes(store).status(ALICE, "Nowhere")).isEmpty();
    }

    /** new/ and cur/ as a folder nobody touched for a minute has them: mtimes a sync trusts. */
    private void age() throws Exception {
        FileTime minuteAgo = FileTime.from(Instant.now().minus(Duration.ofMinutes(1)));
        Files.setLastModifiedTime(inbox.directory().resolve("new"), minuteAgo);
        Files.setLastModifiedTime(inbox.directory().resolve("cur"), minuteAgo);
    }

    @Test
    void theFiguresOfAnUnchangedFolderAreGivenAgainWithoutASync() throws Exception {
        deliver(new Flags(Flags.Flag.SEEN));
        deliver(new Flags());
        age();
        FolderStatus read = inbox.status();

        assertThat(inbox.statusIfUnchanged()).contains(read);
        assertThat(read).isEqualTo(new FolderStatus(2, 1, 3, uidValidity));
    }

    @Test
    void aMessageAnotherProgramMarkedSeenMakesTheFiguresBeReadAgain() throws Exception {
        IndexEntry unseen = deliver(new Flags());
        age();
        inbox.status();

        Path file = inbox.fileOf(unseen.uid());
        Files.move(file, inbox.directory().resolve("cur").resolve(unseen.base() + ":2,S"));

        assertThat(inbox.statusIfUnchanged()).isEmpty();
        assertThat(inbox.status().unseen()).isZero();
    }

    @Test
    void ourOwnDeliveryMakesTheFiguresBeReadAgain() throws Exception {
        deliver(new Flags());
        age();
        inbox.status();

        deliver(new Flags());

        assertThat(inbox.statusIfUnchanged()).isEmpty();
        assertThat(inbox.status().messages()).isEqualTo(2);
    }

    @Test
    void aUidListRebuiltByAnotherProgramMakesTheFiguresBeReadAgain() throws Exception {
        deliver(new Flags());
        age();
        inbox.status();

        // Dovecot's answer to a lost or broken list: a new one, with a new UIDVALIDITY
        Files.delete(inbox.directory().resolve(DovecotUidList.FILE_NAME));

        assertThat(inbox.statusIfUnchanged()).isEmpty();
        assertThat(inbox.status().uidValidity()).isNotEqualTo(uidValidity);
    }

    @Test
    void figuresOfDirectoriesChangedWithinTheLastSecondAreNotGivenAgain() throws Exception {
        deliver(new Flags());
        inbox.status();

        assertThat(inbox.statusIfUnchanged()).isEmpty();
    }
}
