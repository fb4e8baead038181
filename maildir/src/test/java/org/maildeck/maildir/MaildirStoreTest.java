package org.maildeck.maildir;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;

import javax.mail.Flags;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.maildeck.durability.Durability;
import org.maildeck.durability.FsyncListener;

class MaildirStoreTest {

    private static final String USER = "alice@example.com";
    private static final long UIDVALIDITY = 1795243170L;

    @TempDir
    Path root;

    private MaildirStore store;
    private Path maildir;

    @BeforeEach
    void store() {
        store = new MaildirStore(root, List.of(), "testhost", FsyncListener.NONE);
        maildir = store.userMaildir(USER);
    }

    private IndexEntry deliver(MaildirFolder folder) throws IOException {
        return folder.deliver(new ByteArrayInputStream("Subject: x\n\nbody\n".getBytes(UTF_8)), new Flags(), new Date(),
            Optional.empty());
    }

    private static void makeMaildir(Path directory) throws IOException {
        for (String sub : List.of("cur", "new", "tmp")) {
            Files.createDirectories(directory.resolve(sub));
        }
    }

    @Test
    void aFolderAskedForAgainIsTheSameObjectAndARefusedNameIsRefusedAgain() {
        assertThat(store.folder(USER, "Sent")).isSameAs(store.folder(USER, "Sent"));
        assertThat(store.folder(USER, "Sent").directory()).isEqualTo(maildir.resolve(".Sent"));
        assertThatThrownBy(() -> store.folder(USER, "a/b")).isInstanceOf(MaildirLayout.InvalidNameException.class);
        assertThatThrownBy(() -> store.folder(USER, "a/b")).isInstanceOf(MaildirLayout.InvalidNameException.class);
    }

    @Test
    void firstFolderCreatesTheUsersInboxToo() throws IOException {
        store.create(USER, "Sent", UIDVALIDITY);

        assertThat(store.exists(USER, "INBOX")).isTrue();
        assertThat(store.folderNames(USER)).containsExactly("INBOX", "Sent");
        assertThat(maildir.resolve("cur")).isDirectory();
        assertThat(maildir.resolve("dovecot-uidlist")).exists();
        assertThat(store.folder(USER, "INBOX").uidValidity()).isNotEqualTo(store.folder(USER, "Sent").uidValidity());
    }

    @Test
    void aFileWhereTheMaildirBelongsFailsTheCreationSayingSoNotAsAnExistingFolder() throws IOException {
        Files.createDirectories(maildir.getParent());
        Files.writeString(maildir, "in the way");

        assertThatThrownBy(() -> store.create(USER, "INBOX", UIDVALIDITY))
            .isInstanceOf(IOException.class)
            .isNotInstanceOf(FileAlreadyExistsException.class)
            .hasMessageContaining(maildir.toString())
            .hasMessageContaining("exists and is not a directory");
    }

    @Test
    void createdFolderIsADotDirectoryWithCurNewTmpAndMarker() throws IOException {
        store.create(USER, "Entwürfe", UIDVALIDITY);

        Path directory = maildir.resolve(".Entw&APw-rfe");
        assertThat(directory.resolve("cur")).isDirectory();
        assertThat(directory.resolve("new")).isDirectory();
        assertThat(directory.resolve("tmp")).isDirectory();
        assertThat(directory.resolve("maildirfolder")).isRegularFile();
        assertThat(Files.readString(directory.resolve("dovecot-uidlist"), UTF_8)).startsWith("3 V" + UIDVALIDITY + " N1 G");
    }

    @Test
    void createdInboxIsTheMaildirWithoutMaildirfolderMarker() throws IOException {
        MaildirFolder inbox = store.create(USER, "INBOX", UIDVALIDITY);

        assertThat(inbox.directory()).isEqualTo(maildir);
        assertThat(maildir.resolve("cur")).isDirectory();
        assertThat(maildir.resolve("maildirfolder")).doesNotExist();
        assertThat(store.folderNames(USER)).containsExactly("INBOX");
    }

    @Test
    void firstFolderCreatesTheDefaultFoldersSubscribed() throws IOException {
        MaildirStore withDefaults = new MaildirStore(root, List.of("Drafts", "Sent", "Trash", "Junk"), "testhost", FsyncListener.NONE);

        withDefaults.create(USER, "Archive", UIDVALIDITY);

        assertThat(withDefaults.folderNames(USER)).containsExactly("INBOX", "Archive", "Drafts", "Junk", "Sent", "Trash");
        assertThat(withDefaults.subscriptions(USER).read()).containsExactlyInAnyOrder("INBOX", "Drafts", "Sent", "Trash", "Junk");
        for (String name : List.of("Drafts", "Sent", "Trash", "Junk")) {
            Path directory = maildir.resolve("." + name);
            assertThat(directory.resolve("maildirfolder")).as(name).isRegularFile();
            assertThat(directory.resolve("dovecot-uidlist")).as(name).exists();
        }
    }

    @Test
    void everyFolderCreatedWithTheDefaultsHasItsOwnUidValidity() throws IOException {
        MaildirStore withDefaults = new MaildirStore(root, List.of("Drafts", "Sent", "Trash"), "testhost", FsyncListener.NONE);

        withDefaults.create(USER, "Archive", UIDVALIDITY);

        List<Long> uidValidities = new ArrayList<>();
        for (String name : withDefaults.folderNames(USER)) {
            uidValidities.add(withDefaults.folder(USER, name).uidValidity());
        }
        assertThat(uidValidities).hasSize(5).doesNotHaveDuplicates().allMatch(value -> value > 0);
        assertThat(withDefaults.folder(USER, "Archive").uidValidity()).isEqualTo(UIDVALIDITY);
    }

    @Test
    void creatingADefaultFolderAsTheFirstFolderSucceeds() throws IOException {
        MaildirStore withDefaults = new MaildirStore(root, List.of("Drafts", "Sent"), "testhost", FsyncListener.NONE);

        MaildirFolder sent = withDefaults.create(USER, "Sent", UIDVALIDITY);

        assertThat(sent.directory()).isEqualTo(maildir.resolve(".Sent"));
        assertThat(withDefaults.folderNames(USER)).containsExactly("INBOX", "Drafts", "Sent");
    }

    @Test
    void creatingInboxFirstAlsoCreatesTheDefaultFolders() throws IOException {
        MaildirStore withDefaults = new MaildirStore(root, List.of("Drafts", "Sent"), "testhost", FsyncListener.NONE);

        withDefaults.create(USER, "INBOX", UIDVALIDITY);

        assertThat(withDefaults.folderNames(USER)).containsExactly("INBOX", "Drafts", "Sent");
    }

    @Test
    void deletedDefaultFolderIsNotCreatedAgainByALaterCreate() throws IOException {
        MaildirStore withDefaults = new MaildirStore(root, List.of("Drafts", "Trash"), "testhost", FsyncListener.NONE);
        withDefaults.create(USER, "INBOX", UIDVALIDITY);
        withDefaults.delete(USER, "Trash");

        withDefaults.create(USER, "Archive", UIDVALIDITY + 10);

        assertThat(withDefaults.folderNames(USER)).containsExactly("INBOX", "Archive", "Drafts");
    }

    @Test
    void defaultFoldersOfAUserWhoAlreadyHasAMaildirAreLeftAlone() throws IOException {
        store.create(USER, "INBOX", UIDVALIDITY);
        MaildirStore withDefaults = new MaildirStore(root, List.of("Drafts"), "testhost", FsyncListener.NONE);

        withDefaults.create(USER, "Archive", UIDVALIDITY);

        assertThat(withDefaults.folderNames(USER)).containsExactly("INBOX", "Archive");
    }

    @Test
    void invalidDefaultFolderIsRefusedAtConstruction() {
        assertThatThrownBy(() -> new MaildirStore(root, List.of("Sent", "../evil"), "testhost", FsyncListener.NONE))
            .isInstanceOf(MaildirLayout.InvalidNameException.class);
    }

    @Test
    void creatingAnExistingFolderFails() throws IOException {
        store.create(USER, "Sent", UIDVALIDITY);

        assertThatThrownBy(() -> store.create(USER, "Sent", UIDVALIDITY + 1)).isInstanceOf(FileAlreadyExistsException.class);
        assertThat(store.folder(USER, "Sent").uidValidity()).isEqualTo(UIDVALIDITY);
    }

    @Test
    void creatingAnInvalidFolderTouchesNothing() {
        assertThatThrownBy(() -> store.create(USER, "../../evil", UIDVALIDITY))
            .isInstanceOf(MaildirLayout.InvalidNameException.class);

        assertThat(root.resolve("example.com")).doesNotExist();
    }

    @Test
    void folderNamesAreSortedWithInboxFirst() throws IOException {
        List<String> created = List.of("Trash", "Archive", "Entwürfe", "a.b", "Drafts", "a", "Zeta", "INBOX.child");
        for (String name : created) {
            store.create(USER, name, UIDVALIDITY);
        }

        List<String> expected = new ArrayList<>(created);
        expected.sort(null);
        expected.add(0, "INBOX");
        assertThat(store.folderNames(USER)).containsExactlyElementsOf(expected);
    }

    @Test
    void folderNamesOfAUserWithoutMaildirIsEmpty() throws IOException {
        assertThat(store.folderNames(USER)).isEmpty();
    }

    @Test
    void folderNamesSkipsWhatIsNotAFolder() throws IOException {
        store.create(USER, "Sent", UIDVALIDITY);
        Files.createDirectories(maildir.resolve(".notamaildir"));
        Files.writeString(maildir.resolve(".afile"), "x", UTF_8);
        makeMaildir(maildir.resolve("..DOVECOT-TRASHED"));
        makeMaildir(maildir.resolve(".a..b"));
        makeMaildir(maildir.resolve("nodot"));

        assertThat(store.folderNames(USER)).containsExactly("INBOX", "Sent");
    }

    @Test
    void symlinkedFolderDirectoryIsNotListed(@TempDir Path elsewhere) throws IOException {
        store.create(USER, "Sent", UIDVALIDITY);
        makeMaildir(elsewhere);
        Files.createSymbolicLink(maildir.resolve(".Evil"), elsewhere);

        assertThat(store.folderNames(USER)).containsExactly("INBOX", "Sent");
        assertThat(store.exists(USER, "Evil")).isFalse();
    }

    @Test
    void symlinkedMaildirIsNotListed(@TempDir Path elsewhere) throws IOException {
        makeMaildir(elsewhere);
        makeMaildir(elsewhere.resolve(".Sent"));
        Files.createDirectories(maildir.getParent());
        Files.createSymbolicLink(maildir, elsewhere);

        assertThat(store.folderNames(USER)).isEmpty();
        assertThat(store.exists(USER, "INBOX")).isFalse();
    }

    @Test
    void renameKeepsUidValidityAndUids() throws IOException {
        MaildirFolder old = store.create(USER, "Old", UIDVALIDITY);
        long first = deliver(old).uid();
        long second = deliver(old).uid();

        store.rename(USER, "Old", "Renamed");

        MaildirFolder renamed = store.folder(USER, "Renamed");
        assertThat(renamed.uidValidity()).isEqualTo(UIDVALIDITY);
        assertThat(renamed.entries(1, Long.MAX_VALUE)).extracting(IndexEntry::uid).containsExactly(first, second);
        assertThat(renamed.nextUid()).isEqualTo(second + 1);
        assertThat(maildir.resolve(".Old")).doesNotExist();
        assertThat(store.folderNames(USER)).containsExactly("INBOX", "Renamed");
    }

    @Test
    void renameOntoAnExistingFolderFails() throws IOException {
        store.create(USER, "A", UIDVALIDITY);
        store.create(USER, "B", UIDVALIDITY);

        assertThatThrownBy(() -> store.rename(USER, "A", "B")).isInstanceOf(FileAlreadyExistsException.class);
        assertThat(store.folderNames(USER)).containsExactly("INBOX", "A", "B");
    }

    @Test
    void renameOfInboxIsRefused() throws IOException {
        store.create(USER, "INBOX", UIDVALIDITY);

        assertThatThrownBy(() -> store.rename(USER, "INBOX", "Old")).isInstanceOf(IOException.class);
    }

    @Test
    void renameOfAMissingFolderFails() throws IOException {
        store.create(USER, "INBOX", UIDVALIDITY);

        assertThatThrownBy(() -> store.rename(USER, "Nothing", "Other")).isInstanceOf(IOException.class);
        assertThat(maildir.resolve(".Other")).doesNotExist();
    }

    @Test
    void deleteRemovesTheFolderDirectory() throws IOException {
        MaildirFolder sent = store.create(USER, "Sent", UIDVALIDITY);
        deliver(sent);

        store.delete(USER, "Sent");

        assertThat(maildir.resolve(".Sent")).doesNotExist();
        assertThat(store.exists(USER, "Sent")).isFalse();
        assertThat(store.folderNames(USER)).containsExactly("INBOX");
        try (var left = Files.list(maildir)) {
            assertThat(left.map(path -> path.getFileName().toString())).noneMatch(name -> name.contains("TRASHED"));
        }
    }

    @Test
    void deleteKeepsTheFoldersBelow() throws IOException {
        store.create(USER, "a", UIDVALIDITY);
        store.create(USER, "a.b", UIDVALIDITY);

        store.delete(USER, "a");

        assertThat(store.folderNames(USER)).containsExactly("INBOX", "a.b");
    }

    @Test
    void deleteOfInboxIsRefused() throws IOException {
        store.create(USER, "INBOX", UIDVALIDITY);

        assertThatThrownBy(() -> store.delete(USER, "INBOX")).isInstanceOf(IOException.class);
        assertThat(maildir.resolve("cur")).isDirectory();
    }

    @Test
    void deletingAFolderLeavesAFolderNamedDovecotTrashedAlone() throws IOException {
        MaildirFolder trashed = store.create(USER, "DOVECOT-TRASHED", UIDVALIDITY);
        deliver(trashed);
        store.create(USER, "Old", UIDVALIDITY);

        store.delete(USER, "Old");

        assertThat(store.folderNames(USER)).containsExactly("INBOX", "DOVECOT-TRASHED");
        assertThat(store.folder(USER, "DOVECOT-TRASHED").count()).isEqualTo(1);
    }

    @Test
    void folderReturnsOneObjectPerDirectory() {
        assertThat(store.folder(USER, "Sent")).isSameAs(store.folder(USER, "Sent"));
        assertThat(store.folder(USER, "INBOX")).isSameAs(store.folder("Alice@Example.com", "inbox"));
    }

    @Test
    void locateReversesFolder() {
        for (String name : List.of("INBOX", "Sent", "Entwürfe", "a.b", "INBOX.child", "&AT&T")) {
            MaildirFolder folder = store.folder(USER, name);
            assertThat(store.locate(folder)).as(name).contains(new MaildirStore.FolderAddress(USER, name));
        }
    }

    @Test
    void locateGivesTheLowerCasedUser() {
        MaildirFolder folder = store.folder("Alice@Example.COM", "Sent");

        assertThat(store.locate(folder)).contains(new MaildirStore.FolderAddress(USER, "Sent"));
    }

    @Test
    void locateOfADirectoryOutsideTheStoreIsEmpty(@TempDir Path elsewhere) {
        assertThat(store.locate(new MaildirFolder(elsewhere, "testhost", Durability.UNWATCHED))).isEmpty();
        assertThat(store.locate(new MaildirFolder(root.resolve("example.com"), "testhost", Durability.UNWATCHED))).isEmpty();
    }

    @Test
    void usersListsEveryMaildir() throws IOException {
        store.create(USER, "INBOX", UIDVALIDITY);
        store.create("bob@example.org", "INBOX", UIDVALIDITY);

        assertThat(store.users()).containsExactlyInAnyOrder(USER, "bob@example.org");
    }

    @Test
    void subscriptionsLiveInTheUsersMaildir() throws IOException {
        store.create(USER, "INBOX", UIDVALIDITY);

        store.subscriptions(USER).add("Sent");

        assertThat(Files.readString(maildir.resolve("subscriptions"), UTF_8)).isEqualTo("V\t2\n\nINBOX\nSent\n");
    }

    @Test
    void aDeliveryIntoALoadedFolderReportsItsThreeFsyncsToTheListener() throws IOException {
        List<Duration> fsyncs = new ArrayList<>();
        MaildirStore watched = new MaildirStore(root, List.of(), "testhost", fsyncs::add);
        MaildirFolder inbox = watched.create(USER, "INBOX", UIDVALIDITY);
        inbox.count();
        fsyncs.clear();

        deliver(inbox);

        // The message in tmp/, new/ after the rename, the uidlist record.
        assertThat(fsyncs).hasSize(3).allSatisfy(took -> assertThat(took).isPositive());
    }

    @Test
    void indexCacheHoldsNoFolderWhoseIndexWasNotRead() throws IOException {
        store.create(USER, "Sent", UIDVALIDITY);

        assertThat(store.folder(USER, "Sent").directory()).isDirectory();
        assertThat(store.indexCache()).isEqualTo(new MaildirStore.IndexCache(0, 0));
    }

    @Test
    void indexCacheCountsTheLoadedFoldersAndTheMessagesTheirIndexesList() throws IOException {
        MaildirFolder inbox = store.create(USER, "INBOX", UIDVALIDITY);
        MaildirFolder sent = store.create(USER, "Sent", UIDVALIDITY + 10);
        deliver(inbox);
        deliver(inbox);
        deliver(sent);

        assertThat(store.indexCache()).isEqualTo(new MaildirStore.IndexCache(2, 3));
    }

    @Test
    void anExpungedMessageLeavesTheIndexCache() throws IOException {
        MaildirFolder inbox = store.create(USER, "INBOX", UIDVALIDITY);
        long expunged = deliver(inbox).uid();
        deliver(inbox);

        inbox.expunge(List.of(expunged));

        assertThat(store.indexCache()).isEqualTo(new MaildirStore.IndexCache(1, 1));
    }

    @Test
    void anEvictedIndexLeavesTheIndexCache() throws IOException {
        deliver(store.create(USER, "INBOX", UIDVALIDITY));

        // Idle for more than -1 ms: every folder, even one used this millisecond.
        store.evictIdle(-1);

        assertThat(store.indexCache()).isEqualTo(new MaildirStore.IndexCache(0, 0));
    }
}
