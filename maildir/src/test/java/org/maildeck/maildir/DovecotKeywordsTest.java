package org.maildeck.maildir;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.maildeck.durability.Durability;

class DovecotKeywordsTest {

    @TempDir
    Path folder;

    private Path file() {
        return folder.resolve("dovecot-keywords");
    }

    private DovecotKeywords read(String content) throws IOException {
        Files.writeString(file(), content, UTF_8);
        DovecotKeywords keywords = new DovecotKeywords(folder, Durability.UNWATCHED);
        keywords.refresh();
        return keywords;
    }

    private static String numbered(int count) {
        StringBuilder content = new StringBuilder();
        for (int i = 0; i < count; i++) {
            content.append(i).append(" kw").append(i).append('\n');
        }
        return content.toString();
    }

    @Test
    void readsDovecotsKeywordsFile() throws IOException {
        DovecotKeywords keywords = read("0 $Forwarded\n1 Foo\n2 Bar\n3 $Junk\n");

        assertThat(keywords.keywordOf('a')).contains("$Forwarded");
        assertThat(keywords.keywordOf('b')).contains("Foo");
        assertThat(keywords.keywordOf('c')).contains("Bar");
        assertThat(keywords.keywordOf('d')).contains("$Junk");
        assertThat(keywords.keywordOf('e')).isEmpty();
        assertThat(keywords.letterOf("Bar")).contains('c');
    }

    @Test
    void indexIsTheLetterEvenWithGaps() throws IOException {
        DovecotKeywords keywords = read("0 Foo\n5 Bar\n");

        assertThat(keywords.letterOf("Bar")).contains('f');
        assertThat(keywords.keywordOf('b')).isEmpty();
    }

    @Test
    void missingFileMeansNoKeywords() throws IOException {
        DovecotKeywords keywords = new DovecotKeywords(folder, Durability.UNWATCHED);
        keywords.refresh();

        assertThat(keywords.keywordOf('a')).isEmpty();
        assertThat(keywords.letterOf("Foo")).isEmpty();
    }

    @Test
    void uppercaseAndNonLetterCharactersAreNoKeywordLetters() throws IOException {
        DovecotKeywords keywords = read("0 Foo\n");

        assertThat(keywords.keywordOf('A')).isEmpty();
        assertThat(keywords.keywordOf('S')).isEmpty();
        assertThat(keywords.keywordOf('{')).isEmpty();
    }

    @Test
    void ensureAppendsANewKeywordWithTheNextIndexAndKeepsTheOthers() throws IOException {
        DovecotKeywords keywords = read("0 Foo\n1 Bar\n");

        keywords.ensure(List.of("Bar", "$Other"));

        assertThat(Files.readString(file(), UTF_8)).isEqualTo("0 Foo\n1 Bar\n2 $Other\n");
        assertThat(keywords.letterOf("$Other")).contains('c');
        assertThat(keywords.letterOf("Foo")).contains('a');
        assertThat(keywords.letterOf("Bar")).contains('b');
    }

    @Test
    void ensureCreatesTheFileWhenMissing() throws IOException {
        DovecotKeywords keywords = new DovecotKeywords(folder, Durability.UNWATCHED);
        keywords.refresh();

        keywords.ensure(List.of("$Forwarded"));

        assertThat(Files.readString(file(), UTF_8)).isEqualTo("0 $Forwarded\n");
    }

    @Test
    void ensureKeepsIndexesWrittenByAnotherProgram() throws IOException {
        DovecotKeywords keywords = read("0 Foo\n7 Bar\n");

        keywords.ensure(List.of("New"));

        List<String> lines = Files.readAllLines(file(), UTF_8);
        assertThat(lines).contains("0 Foo", "7 Bar");
        assertThat(keywords.letterOf("Bar")).contains('h');
        assertThat(keywords.letterOf("New")).isPresent().get().isNotIn('a', 'h');
    }

    @Test
    void ensureOfKnownKeywordsDoesNotWrite() throws IOException {
        DovecotKeywords keywords = read("0 Foo\n");
        Object inodeBefore = Files.readAttributes(file(), java.nio.file.attribute.BasicFileAttributes.class).fileKey();

        keywords.ensure(List.of("Foo"));

        Object inodeAfter = Files.readAttributes(file(), java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        assertThat(inodeAfter).isEqualTo(inodeBefore);
    }

    @Test
    void ensureLeavesNoLockBehind() throws IOException {
        DovecotKeywords keywords = read("0 Foo\n");

        keywords.ensure(List.of("Bar"));

        assertThat(folder.resolve("dovecot-keywords.lock")).doesNotExist();
    }

    @Test
    void ensureSeesAKeywordAnotherProgramAddedMeanwhile() throws IOException {
        DovecotKeywords keywords = read("0 Foo\n");
        // Dovecot replaces the file (lock file renamed over it): a new inode.
        Path replacement = folder.resolve("dovecot-keywords.other");
        Files.writeString(replacement, "0 Foo\n1 Bar\n", UTF_8);
        Files.move(replacement, file(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);

        keywords.ensure(List.of("Bar", "Baz"));

        assertThat(Files.readString(file(), UTF_8)).isEqualTo("0 Foo\n1 Bar\n2 Baz\n");
        assertThat(keywords.letterOf("Bar")).contains('b');
    }

    @Test
    void the26thKeywordStillFits() throws IOException {
        DovecotKeywords keywords = read(numbered(25));

        keywords.ensure(List.of("last"));

        assertThat(keywords.letterOf("last")).contains('z');
    }

    @Test
    void the27thKeywordIsRefusedWithKeywordLimitException() throws IOException {
        DovecotKeywords keywords = read(numbered(26));

        assertThatThrownBy(() -> keywords.ensure(List.of("one-too-many")))
            .isInstanceOf(DovecotKeywords.KeywordLimitException.class);
        assertThat(Files.readString(file(), UTF_8)).isEqualTo(numbered(26));
        assertThat(folder.resolve("dovecot-keywords.lock")).doesNotExist();
        assertThat(keywords.letterOf("one-too-many")).isEmpty();
    }

    @Test
    void keywordsRefusedTogetherWithALimitFailureGetNoLetterThatIsNotOnDisk() throws IOException {
        DovecotKeywords keywords = read(numbered(25));

        assertThatThrownBy(() -> keywords.ensure(List.of("fits", "does-not-fit")))
            .isInstanceOf(DovecotKeywords.KeywordLimitException.class);
        keywords.ensure(List.of("fits"));

        assertThat(Files.readAllLines(file(), UTF_8)).contains("25 fits");
    }
}
