package org.maildeck.maildir;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/** An entry reads its file name's base and flag letters as {@link MaildirFileName} parses them. */
class IndexEntryTest {

    private static final List<String> NAMES = List.of(
        "1700000000.M1P2.host,S=120,W=123:2,ST", "1700000000.M1P2.host", "1700000000.M1P2.host:2,",
        "1700000000.M1P2.host:1,experimental", "odd:name:2,S", "1700000000.M1P2.host:2,Tab");

    private static IndexEntry entry(String fileName) {
        return new IndexEntry(1, fileName, false, 10, 10, 0, 1);
    }

    @Test
    void baseAndLettersAreWhatTheFileNameParsesTo() {
        for (String name : NAMES) {
            MaildirFileName parsed = MaildirFileName.parse(name);
            assertThat(entry(name).base()).as(name).isEqualTo(parsed.base());
            assertThat(entry(name).letters()).as(name).isEqualTo(parsed.flagLetters().orElse(""));
        }
    }

    @Test
    void aLetterIsCarriedOnlyInTheInfoPart() {
        assertThat(entry("1700000000.M1P2.host:2,ST").hasLetter('T')).isTrue();
        assertThat(entry("1700000000.M1P2.hosT:2,S").hasLetter('T')).isFalse();
        assertThat(entry("1700000000.M1P2.host:1,T").hasLetter('T')).isFalse();
        assertThat(entry("1700000000.M1P2.host").hasLetter('S')).isFalse();
    }
}
