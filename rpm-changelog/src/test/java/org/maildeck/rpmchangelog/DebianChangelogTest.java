package org.maildeck.rpmchangelog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;

import org.junit.jupiter.api.Test;

class DebianChangelogTest {

    private static final List<String> TWO_RELEASES = List.of(
        "maildeck (0.2.0) unstable; urgency=medium",
        "",
        "  * Milter endpoint for Postfix edge MTAs.",
        "",
        "  * Quarantine release over IMAP,",
        "    with a log line per release.",
        "",
        " -- Maildeck developers <dev@maildeck.org>  Tue, 05 Jan 2027 09:30:00 +0100",
        "",
        "maildeck (0.1.0) unstable; urgency=low",
        "",
        "  * First packaged release.",
        "",
        " -- Alice Admin <alice@maildeck.org>  Sat, 21 Nov 2026 12:00:00 +0000");

    @Test
    void readsEachReleaseNewestFirst() {
        List<DebianChangelog.Entry> entries = DebianChangelog.parse(TWO_RELEASES).entries();

        assertThat(entries).extracting(DebianChangelog.Entry::packageName).containsExactly("maildeck", "maildeck");
        assertThat(entries).extracting(DebianChangelog.Entry::version).containsExactly("0.2.0", "0.1.0");
        assertThat(entries).extracting(DebianChangelog.Entry::maintainer)
            .containsExactly("Maildeck developers <dev@maildeck.org>", "Alice Admin <alice@maildeck.org>");
    }

    @Test
    void readsTheTrailersDateWithItsOffset() {
        DebianChangelog.Entry newest = DebianChangelog.parse(TWO_RELEASES).entries().get(0);

        assertThat(newest.date().toInstant()).isEqualTo(ZonedDateTime.of(2027, 1, 5, 8, 30, 0, 0, ZoneOffset.UTC).toInstant());
    }

    @Test
    void keepsTheChangesIndentedAndTheBlankLinesBetweenThemButNotAroundThem() {
        DebianChangelog.Entry newest = DebianChangelog.parse(TWO_RELEASES).entries().get(0);

        assertThat(newest.changes()).containsExactly(
            "  * Milter endpoint for Postfix edge MTAs.",
            "",
            "  * Quarantine release over IMAP,",
            "    with a log line per release.");
    }

    @Test
    void aLineThatIsNeitherAChangeNorTheTrailerFailsWithItsNumber() {
        List<String> lines = List.of(
            "maildeck (0.1.0) unstable; urgency=low",
            "",
            "* not indented",
            " -- Maildeck developers <dev@maildeck.org>  Sat, 21 Nov 2026 12:00:00 +0000");

        assertThatThrownBy(() -> DebianChangelog.parse(lines))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageStartingWith("changelog line 3: expected a change indented by two spaces");
    }

    @Test
    void anEntryWithoutItsTrailerFails() {
        List<String> lines = List.of("maildeck (0.1.0) unstable; urgency=low", "", "  * First packaged release.");

        assertThatThrownBy(() -> DebianChangelog.parse(lines))
            .hasMessageStartingWith("changelog line 1: the entry for 0.1.0 has no trailer");
    }

    private static List<String> releasedOn(String date) {
        return List.of(
            "maildeck (0.1.0) unstable; urgency=low",
            "  * First packaged release.",
            " -- Maildeck developers <dev@maildeck.org>  " + date);
    }

    @Test
    void aDayPaddedWithASpaceIsReadAsDpkgReadsIt() {
        DebianChangelog.Entry entry = DebianChangelog.parse(releasedOn("Mon,  4 Jan 2027 09:30:00 +0000")).entries().get(0);

        assertThat(entry.date().toLocalDate()).hasToString("2027-01-04");
    }

    @Test
    void aDateInAnotherFormThanDpkgsFails() {
        assertThatThrownBy(() -> DebianChangelog.parse(releasedOn("2026-11-21")))
            .hasMessageStartingWith("changelog line 3: expected a date such as 'Sat, 21 Nov 2026 12:00:00 +0000'");
    }

    @Test
    void aDateWithoutWeekdayOrSecondsOrWithAZoneNameFails() {
        assertThatThrownBy(() -> DebianChangelog.parse(releasedOn("04 Jan 2027 09:30 GMT")))
            .hasMessageStartingWith("changelog line 3: expected a date such as");
    }

    @Test
    void aWeekdayThatDoesNotMatchTheDateFails() {
        assertThatThrownBy(() -> DebianChangelog.parse(releasedOn("Fri, 21 Nov 2026 12:00:00 +0000")))
            .hasMessageContaining("its weekday matching");
    }

    @Test
    void anEntryThatDescribesNoChangeFailsAsRpmbuildWould() {
        List<String> lines = List.of(
            "maildeck (0.1.0) unstable; urgency=low",
            "",
            " -- Maildeck developers <dev@maildeck.org>  Sat, 21 Nov 2026 12:00:00 +0000");

        assertThatThrownBy(() -> DebianChangelog.parse(lines))
            .hasMessage("changelog line 1: the entry for 0.1.0 describes no change");
    }

    @Test
    void aFileWithoutAHeadingFails() {
        assertThatThrownBy(() -> DebianChangelog.parse(List.of("  * a change without its release")))
            .hasMessageStartingWith("changelog line 1: expected a heading");
    }

    @Test
    void anEmptyFileFails() {
        assertThatThrownBy(() -> DebianChangelog.parse(List.of("", "")))
            .hasMessage("the changelog has no entry");
    }
}
