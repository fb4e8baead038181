package org.maildeck.maildir;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

import org.junit.jupiter.api.Test;

class MaildirFileNameTest {

    @Test
    void nameWithoutInfoHasOnlyABase() {
        MaildirFileName name = MaildirFileName.parse("1795243169.M513818P352.vm,S=86,W=92");

        assertThat(name.base()).isEqualTo("1795243169.M513818P352.vm,S=86,W=92");
        assertThat(name.flagLetters()).isEmpty();
        assertThat(name.fileName()).isEqualTo("1795243169.M513818P352.vm,S=86,W=92");
    }

    @Test
    void nameWithInfoSplitsBaseAndFlagLetters() {
        MaildirFileName name = MaildirFileName.parse("1795243169.M513818P352.vm,S=46,W=51:2,DFRSTcd");

        assertThat(name.base()).isEqualTo("1795243169.M513818P352.vm,S=46,W=51");
        assertThat(name.flagLetters()).contains("DFRSTcd");
        assertThat(name.fileName()).isEqualTo("1795243169.M513818P352.vm,S=46,W=51:2,DFRSTcd");
    }

    @Test
    void emptyInfoMeansNoFlagsButIsKeptInTheName() {
        MaildirFileName name = MaildirFileName.parse("1795243169.M1P2.vm,S=39,W=43:2,");

        assertThat(name.base()).isEqualTo("1795243169.M1P2.vm,S=39,W=43");
        assertThat(name.flagLetters()).contains("");
        assertThat(name.fileName()).isEqualTo("1795243169.M1P2.vm,S=39,W=43:2,");
    }

    @Test
    void withFlagsKeepsTheBase() {
        MaildirFileName name = MaildirFileName.parse("1795243169.M1P2.vm,S=39,W=43:2,S");

        assertThat(name.withFlags("FS").fileName()).isEqualTo("1795243169.M1P2.vm,S=39,W=43:2,FS");
    }

    @Test
    void sizeAndVirtualSizeComeFromTheBase() {
        MaildirFileName name = MaildirFileName.parse("1795243169.M513818P352.vm,S=86,W=92:2,S");

        assertThat(name.size()).isEqualTo(OptionalLong.of(86));
        assertThat(name.virtualSize()).isEqualTo(OptionalLong.of(92));
    }

    @Test
    void sizeWithoutVirtualSizeIsRead() {
        MaildirFileName name = MaildirFileName.parse("1795300000.M1P100.extern,S=53");

        assertThat(name.size()).isEqualTo(OptionalLong.of(53));
        assertThat(name.virtualSize()).isEmpty();
    }

    @Test
    void plainNameHasNoSizes() {
        MaildirFileName name = MaildirFileName.parse("plainname");

        assertThat(name.size()).isEmpty();
        assertThat(name.virtualSize()).isEmpty();
    }

    @Test
    void newBaseAppendsSizeAndVirtualSize() {
        assertThat(MaildirFileName.newBase("1.M2P3Q4.host", 86, 92)).isEqualTo("1.M2P3Q4.host,S=86,W=92");
    }

    @Test
    void newUniquePartsFollowThePatternAndDiffer() {
        Set<String> seen = new HashSet<>();
        long pid = ProcessHandle.current().pid();
        for (int i = 0; i < 1000; i++) {
            String unique = MaildirFileName.newUniquePart("vm");
            assertThat(unique).matches("\\d+\\.M\\d+P" + pid + "Q\\d+\\.vm");
            assertThat(seen.add(unique)).as("unique part %s handed out twice", unique).isTrue();
        }
    }

    @Test
    void newUniquePartStartsWithTheCurrentSecond() {
        long before = java.time.Instant.now().getEpochSecond();
        String unique = MaildirFileName.newUniquePart("vm");
        long after = java.time.Instant.now().getEpochSecond();

        long secs = Long.parseLong(unique.substring(0, unique.indexOf('.')));
        assertThat(secs).isBetween(before, after);
    }

    @Test
    void hostSlashAndColonAreEscapedInTheUniquePart() {
        String unique = MaildirFileName.newUniquePart("a/b:c");

        assertThat(unique).endsWith(".a\\057b\\072c");
        assertThat(unique).doesNotContain("/").doesNotContain(":");
    }

    @Test
    void escapedHostNameParsesBackAsABaseWithoutInfo() {
        String base = MaildirFileName.newBase(MaildirFileName.newUniquePart("x:y"), 10, 12);

        MaildirFileName parsed = MaildirFileName.parse(base + ":2,S");
        assertThat(parsed.base()).isEqualTo(base);
        assertThat(parsed.flagLetters()).isEqualTo(Optional.of("S"));
        assertThat(parsed.size()).isEqualTo(OptionalLong.of(10));
        assertThat(parsed.virtualSize()).isEqualTo(OptionalLong.of(12));
    }
}
