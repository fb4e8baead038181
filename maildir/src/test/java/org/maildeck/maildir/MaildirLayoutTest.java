package org.maildeck.maildir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MaildirLayoutTest {

    @TempDir
    Path root;

    private MaildirLayout layout;
    private Path maildir;

    @BeforeEach
    void layout() {
        layout = new MaildirLayout(root);
        maildir = layout.userMaildir("alice@example.com");
    }

    // ---- users --------------------------------------------------------------------------------

    @Test
    void userMaildirIsDomainThenLocalPartThenMaildir() {
        assertThat(layout.userMaildir("alice@example.com"))
            .isEqualTo(root.toAbsolutePath().normalize().resolve("example.com").resolve("alice").resolve("Maildir"));
    }

    @Test
    void userMaildirIsLowerCasedLikeDovecotsAuthUsernameFormat() {
        assertThat(layout.userMaildir("Alice@Example.COM")).isEqualTo(layout.userMaildir("alice@example.com"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"alice", "alice@", "@example.com", ""})
    void userWithoutLocalPartOrDomainIsRefused(String username) {
        assertThatThrownBy(() -> layout.userMaildir(username)).isInstanceOf(MaildirLayout.InvalidNameException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"..@example.com", ".@example.com", "alice@..", "alice@.", "alice@example..com",
        "../x@example.com", "alice@../etc", ".alice@example.com", "alice@.example.com"})
    void userWithDotDotOrLeadingDotIsRefused(String username) {
        assertThatThrownBy(() -> layout.userMaildir(username)).isInstanceOf(MaildirLayout.InvalidNameException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a/b@example.com", "alice@exa/mple.com", "a\\b@example.com", "/@example.com"})
    void userWithSlashOrBackslashIsRefused(String username) {
        assertThatThrownBy(() -> layout.userMaildir(username)).isInstanceOf(MaildirLayout.InvalidNameException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\u0000b@example.com", "a\nb@example.com", "a\tb@example.com", "a\u007fb@example.com",
        "alice@exam\u0000ple.com", "alice@example.com\n"})
    void userWithNulOrControlCharacterIsRefused(String username) {
        assertThatThrownBy(() -> layout.userMaildir(username)).isInstanceOf(MaildirLayout.InvalidNameException.class);
    }

    @Test
    void acceptedUserStaysThreeLevelsBelowTheRoot() {
        for (String user : List.of("a.b@example.com", "a..b@example.com", "x+tag@sub.example.org", "a%b@example.com")) {
            Path path = layout.userMaildir(user);
            assertThat(path.getParent().getParent().getParent()).as(user).isEqualTo(layout.root());
        }
    }

    // ---- folder names ---------------------------------------------------------------------------

    @Test
    void inboxIsTheMaildirItself() {
        assertThat(layout.folderDirectory(maildir, "INBOX")).isEqualTo(maildir);
        assertThat(layout.folderDirectory(maildir, "inbox")).isEqualTo(maildir);
    }

    @Test
    void folderIsADotDirectoryBesideInbox() {
        assertThat(layout.folderDirectory(maildir, "Sent")).isEqualTo(maildir.resolve(".Sent"));
    }

    @Test
    void hierarchyLevelsStayInOneFlatDirectoryName() {
        assertThat(layout.folderDirectory(maildir, "a.b")).isEqualTo(maildir.resolve(".a.b"));
        assertThat(layout.folderDirectory(maildir, "x.y.z")).isEqualTo(maildir.resolve(".x.y.z"));
    }

    @Test
    void nonAsciiNameIsModifiedUtf7() {
        assertThat(layout.folderDirectory(maildir, "Entwürfe")).isEqualTo(maildir.resolve(".Entw&APw-rfe"));
    }

    @Test
    void ampersandIsEscapedAsAmpersandDash() {
        assertThat(layout.folderDirectory(maildir, "&")).isEqualTo(maildir.resolve(".&-"));
        assertThat(layout.folderDirectory(maildir, "&AT&T")).isEqualTo(maildir.resolve(".&-AT&-T"));
    }

    @Test
    void spacesAndQuotesAreKept() {
        assertThat(layout.folderDirectory(maildir, "with space")).isEqualTo(maildir.resolve(".with space"));
        assertThat(layout.folderDirectory(maildir, "a\"q")).isEqualTo(maildir.resolve(".a\"q"));
    }

    @Test
    void inboxChildIsAnOrdinaryFolder() {
        assertThat(layout.folderDirectory(maildir, "INBOX.child")).isEqualTo(maildir.resolve(".INBOX.child"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "..", "...", "a..b", ".a", "a.", ".a.b", "a.b."})
    void folderWithAnEmptyLevelIsRefused(String name) {
        assertThatThrownBy(() -> layout.folderDirectory(maildir, name)).isInstanceOf(MaildirLayout.InvalidNameException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "a/b", "/etc", "../x", "\\", "a\\b", "..\\x"})
    void folderWithSlashOrBackslashIsRefused(String name) {
        assertThatThrownBy(() -> layout.folderDirectory(maildir, name)).isInstanceOf(MaildirLayout.InvalidNameException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\u0000b", "\u0000", "tab\tx", "line\nfeed", "cr\r", "del\u007f", "\u001b[31m"})
    void folderWithNulOrControlCharacterIsRefused(String name) {
        assertThatThrownBy(() -> layout.folderDirectory(maildir, name)).isInstanceOf(MaildirLayout.InvalidNameException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"%", "*", "a%", "a*b", "x.%"})
    void folderWithImapWildcardIsRefused(String name) {
        assertThatThrownBy(() -> layout.folderDirectory(maildir, name)).isInstanceOf(MaildirLayout.InvalidNameException.class);
    }

    @Test
    void folderWithTheReplacementCharacterOfANameThatWasNotModifiedUtf7IsRefused() {
        assertThatThrownBy(() -> layout.folderDirectory(maildir, "!#$\uFFFD'+,-")).isInstanceOf(MaildirLayout.InvalidNameException.class);
    }

    @Test
    void folderStartingWithTildeIsRefused() {
        assertThatThrownBy(() -> layout.folderDirectory(maildir, "~x")).isInstanceOf(MaildirLayout.InvalidNameException.class);
        assertThatThrownBy(() -> layout.folderDirectory(maildir, "~")).isInstanceOf(MaildirLayout.InvalidNameException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"cur", "new", "tmp", "CUR", "New", "a.cur", "new.b", "x.tmp.y"})
    void folderLevelNamedLikeAMaildirSubdirectoryIsRefused(String name) {
        assertThatThrownBy(() -> layout.folderDirectory(maildir, name)).isInstanceOf(MaildirLayout.InvalidNameException.class);
    }

    @Test
    void folderWithUpTo254AsciiCharactersIsAccepted() {
        String name = "x".repeat(254);

        assertThat(layout.folderDirectory(maildir, name).getFileName().toString()).hasSize(255);
    }

    @Test
    void folderWhoseDirectoryNameWouldExceed255BytesIsRefused() {
        assertThatThrownBy(() -> layout.folderDirectory(maildir, "x".repeat(255)))
            .isInstanceOf(MaildirLayout.InvalidNameException.class);
        assertThatThrownBy(() -> layout.folderDirectory(maildir, "x".repeat(1000)))
            .isInstanceOf(MaildirLayout.InvalidNameException.class);
    }

    @Test
    void folderWhoseEncodedNameWouldExceed255BytesIsRefused() {
        // 100 characters, but about 270 bytes once in modified UTF-7
        assertThatThrownBy(() -> layout.folderDirectory(maildir, "ü".repeat(100)))
            .isInstanceOf(MaildirLayout.InvalidNameException.class);
    }

    // ---- directory names back to folder names ----------------------------------------------------

    @Test
    void folderNameOfDecodesTheDirectoryName() {
        assertThat(layout.folderNameOf(".Sent")).contains("Sent");
        assertThat(layout.folderNameOf(".a.b")).contains("a.b");
        assertThat(layout.folderNameOf(".Entw&APw-rfe")).contains("Entwürfe");
        assertThat(layout.folderNameOf(".&-AT&-T")).contains("&AT&T");
    }

    @ParameterizedTest
    @ValueSource(strings = {".", "..", "cur", "new", "tmp", "Maildir", "dovecot-uidlist", "maildeck.index",
        "..DOVECOT-TRASHED", ".a..b", ".a.", ".cur", ".x.new", ".~x", ".%", ".a/b", ".bad&mutf7"})
    void folderNameOfIgnoresWhatIsNotAFolder(String directoryName) {
        assertThat(layout.folderNameOf(directoryName)).isEmpty();
    }

    @Test
    void folderNamesRoundTripThroughDirectoryNames() {
        for (String name : List.of("Sent", "a.b", "x.y.z", "Entwürfe", "&", "&AT&T", "with space", "INBOX.child",
            "日本語", "Ελληνικά.Υπο", "emoji \uD83D\uDCE7", "a\"q", "trailing space ")) {
            Path directory = layout.folderDirectory(maildir, name);
            assertThat(layout.folderNameOf(directory.getFileName().toString())).as(name).contains(name);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {".&AGE-", ".&AGEAYgBj-", ".INBOX", ".inbox"})
    void directoryAcceptedAsAFolderIsTheDirectoryOfThatFolder(String directoryName) {
        Optional<String> name = layout.folderNameOf(directoryName);

        name.ifPresent(folder -> assertThat(layout.folderDirectory(maildir, folder)).isEqualTo(maildir.resolve(directoryName)));
    }

    @Test
    void everyAcceptedFolderDirectoryIsADirectChildOfTheMaildir() throws IOException {
        List<String> names = new ArrayList<>();
        for (int c = 1; c <= 0xFFFF; c++) {
            names.add("x" + (char) c + "y");
            names.add(String.valueOf((char) c));
        }
        names.addAll(List.of("..", "../..", "a/../../b", "\\..\\..", ".", "./a", "a/.", "\u0000/etc"));
        int accepted = 0;
        for (String name : names) {
            Path directory;
            try {
                directory = layout.folderDirectory(maildir, name);
            } catch (MaildirLayout.InvalidNameException refused) {
                continue;
            }
            accepted++;
            if (MaildirLayout.isInbox(name)) {
                assertThat(directory).isEqualTo(maildir);
                continue;
            }
            assertThat(directory.getParent()).as("folder %s", name.codePoints().mapToObj(Integer::toHexString).toList())
                .isEqualTo(maildir);
            assertThat(directory.getFileName().toString()).startsWith(".").doesNotContain("/").doesNotContain("\u0000");
        }
        assertThat(accepted).isGreaterThan(60_000);
    }

    @Test
    void everyAcceptedBmpCharacterRoundTrips() {
        for (int c = 0x20; c <= 0xFFFF; c++) {
            if (Character.isSurrogate((char) c)) {
                continue;
            }
            String name = "x" + (char) c + "y";
            Path directory;
            try {
                directory = layout.folderDirectory(maildir, name);
            } catch (MaildirLayout.InvalidNameException refused) {
                continue;
            }
            assertThat(layout.folderNameOf(directory.getFileName().toString())).as("U+%04X", c).contains(name);
        }
    }

    @Test
    void symlinkIsRefused(@TempDir Path elsewhere) throws IOException {
        Path link = root.resolve("link");
        Files.createSymbolicLink(link, elsewhere);

        assertThatThrownBy(() -> MaildirLayout.refuseSymlink(link)).isInstanceOf(IOException.class);
        assertThat(layout.isRealDirectory(link)).isFalse();
        assertThat(layout.isRealDirectory(elsewhere)).isTrue();
    }

    @Test
    void inboxIsRecognisedInAnyCase() {
        assertThat(MaildirLayout.isInbox("INBOX")).isTrue();
        assertThat(MaildirLayout.isInbox("Inbox")).isTrue();
        assertThat(MaildirLayout.isInbox("INBOX.child")).isFalse();
    }
}
