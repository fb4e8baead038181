package org.maildeck.maildir;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.mail.Flags;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.maildeck.durability.Durability;

class MaildirFlagsTest {

    @TempDir
    Path folder;

    private DovecotKeywords keywords;

    @BeforeEach
    void keywordsFile() throws IOException {
        Files.writeString(folder.resolve("dovecot-keywords"), "0 $Forwarded\n1 Foo\n2 Bar\n3 $Junk\n", UTF_8);
        keywords = new DovecotKeywords(folder, Durability.UNWATCHED);
        keywords.refresh();
    }

    @Test
    void systemFlagLettersMapToImapFlags() {
        assertThat(MaildirFlags.toFlags("D", keywords).contains(Flags.Flag.DRAFT)).isTrue();
        assertThat(MaildirFlags.toFlags("F", keywords).contains(Flags.Flag.FLAGGED)).isTrue();
        assertThat(MaildirFlags.toFlags("R", keywords).contains(Flags.Flag.ANSWERED)).isTrue();
        assertThat(MaildirFlags.toFlags("S", keywords).contains(Flags.Flag.SEEN)).isTrue();
        assertThat(MaildirFlags.toFlags("T", keywords).contains(Flags.Flag.DELETED)).isTrue();
    }

    @Test
    void allLettersTogetherGiveExactlyThoseFlags() {
        Flags flags = MaildirFlags.toFlags("DFRSTbd", keywords);

        Flags expected = new Flags();
        expected.add(Flags.Flag.DRAFT);
        expected.add(Flags.Flag.FLAGGED);
        expected.add(Flags.Flag.ANSWERED);
        expected.add(Flags.Flag.SEEN);
        expected.add(Flags.Flag.DELETED);
        expected.add("Foo");
        expected.add("$Junk");
        assertThat(flags).isEqualTo(expected);
        assertThat(flags.contains(Flags.Flag.RECENT)).isFalse();
    }

    @Test
    void keywordLettersAreLookedUpInTheKeywordsFile() {
        Flags flags = MaildirFlags.toFlags("ac", keywords);

        assertThat(flags.getUserFlags()).containsExactlyInAnyOrder("$Forwarded", "Bar");
        assertThat(flags.getSystemFlags()).isEmpty();
    }

    @Test
    void unknownLettersGiveNoFlag() {
        Flags flags = MaildirFlags.toFlags("Pz", keywords);

        assertThat(flags.getSystemFlags()).isEmpty();
        assertThat(flags.getUserFlags()).isEmpty();
    }

    @Test
    void flagsBecomeLettersInAsciiOrder() {
        Flags flags = new Flags();
        flags.add("Bar");
        flags.add(Flags.Flag.SEEN);
        flags.add("$Forwarded");
        flags.add(Flags.Flag.DELETED);
        flags.add(Flags.Flag.DRAFT);
        flags.add(Flags.Flag.ANSWERED);
        flags.add(Flags.Flag.FLAGGED);

        assertThat(MaildirFlags.toLetters(flags, "", keywords)).isEqualTo("DFRSTac");
    }

    @Test
    void recentIsNeverALetter() {
        Flags flags = new Flags(Flags.Flag.RECENT);
        flags.add(Flags.Flag.SEEN);

        assertThat(MaildirFlags.toLetters(flags, "", keywords)).isEqualTo("S");
    }

    @Test
    void unmanagedLettersLikePassedAreKept() {
        Flags flags = new Flags(Flags.Flag.SEEN);

        assertThat(MaildirFlags.toLetters(flags, "PS", keywords)).isEqualTo("PS");
        assertThat(MaildirFlags.toLetters(new Flags(), "FP", keywords)).isEqualTo("P");
    }

    @Test
    void keywordLetterMissingFromTheKeywordsFileIsKept() {
        Flags flags = new Flags(Flags.Flag.FLAGGED);

        assertThat(MaildirFlags.toLetters(flags, "Sz", keywords)).isEqualTo("Fz");
    }

    @Test
    void knownKeywordLetterIsDroppedWhenTheKeywordIsRemoved() {
        Flags flags = new Flags(Flags.Flag.SEEN);

        assertThat(MaildirFlags.toLetters(flags, "Sab", keywords)).isEqualTo("S");
    }

    @Test
    void keywordWithoutALetterIsRefused() {
        Flags flags = new Flags("NotInTheFile");

        assertThatThrownBy(() -> MaildirFlags.toLetters(flags, "", keywords)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void lettersRoundTripThroughFlags() {
        for (String letters : new String[] {"", "S", "RS", "FS", "DFRST", "Sa", "bc", "FSab", "DFRSTcd"}) {
            Flags flags = MaildirFlags.toFlags(letters, keywords);
            assertThat(MaildirFlags.toLetters(flags, "", keywords)).as(letters).isEqualTo(letters);
        }
    }

    @Test
    void userFlagsListsOnlyKeywords() {
        Flags flags = new Flags(Flags.Flag.SEEN);
        flags.add("Foo");

        assertThat(MaildirFlags.userFlags(flags)).containsExactly("Foo");
    }
}
