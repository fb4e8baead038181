package org.maildeck.rpmchangelog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;

import org.eclipse.packager.rpm.RpmTag;
import org.eclipse.packager.rpm.RpmTagValue;
import org.eclipse.packager.rpm.RpmVersion;
import org.eclipse.packager.rpm.header.Header;
import org.junit.jupiter.api.Test;

class RpmChangelogTest {

    private static final RpmVersion BUILT = new RpmVersion("0.2.0", "1");

    private static DebianChangelog changelog(String... lines) {
        return DebianChangelog.parse(List.of(lines));
    }

    private static final DebianChangelog TWO_RELEASES = changelog(
        "maildeck (0.2.0) unstable; urgency=medium",
        "  * Milter endpoint for Postfix edge MTAs.",
        "  * Quarantine release over IMAP,",
        "    with a log line per release.",
        " -- Maildeck developers <dev@maildeck.org>  Tue, 05 Jan 2027 01:30:00 +0200",
        "maildeck (0.1.0) unstable; urgency=low",
        "  * First packaged release.",
        " -- Alice Admin <alice@maildeck.org>  Sat, 21 Nov 2026 23:30:00 -0500");

    private static Header<RpmTag> headerOf(DebianChangelog changelog, RpmVersion version) {
        Header<RpmTag> header = new Header<>();
        RpmChangelog.putInto(header, changelog, version);
        return header;
    }

    @Test
    void everyEntryKeepsTheDayItsAuthorWroteAtNoonUtcAsRpmbuildDoes() {
        RpmTagValue times = (RpmTagValue) headerOf(TWO_RELEASES, BUILT).get(RpmTag.CHANGELOG_TIMESTAMP);

        assertThat((int[]) times.getValue()).containsExactly(
            (int) ZonedDateTime.of(2027, 1, 5, 12, 0, 0, 0, ZoneOffset.UTC).toEpochSecond(),
            (int) ZonedDateTime.of(2026, 11, 21, 12, 0, 0, 0, ZoneOffset.UTC).toEpochSecond());
    }

    @Test
    void thePackagesOwnVersionIsNamedWithItsReleaseAndOlderOnesAsTheyWere() {
        RpmTagValue authors = (RpmTagValue) headerOf(TWO_RELEASES, BUILT).get(RpmTag.CHANGELOG_AUTHOR);

        assertThat((String[]) authors.getValue()).containsExactly(
            "Maildeck developers <dev@maildeck.org> - 0.2.0-1",
            "Alice Admin <alice@maildeck.org> - 0.1.0");
    }

    @Test
    void debianChangeItemsBecomeRpmItemsWithTheirContinuationLines() {
        RpmTagValue texts = (RpmTagValue) headerOf(TWO_RELEASES, BUILT).get(RpmTag.CHANGELOG_TEXT);

        assertThat((String[]) texts.getValue()).containsExactly(
            "- Milter endpoint for Postfix edge MTAs.\n- Quarantine release over IMAP,\n  with a log line per release.",
            "- First packaged release.");
    }

    @Test
    void entriesThatAreNotNewestFirstAreRefusedAsRpmWouldRefuseThem() {
        DebianChangelog outOfOrder = changelog(
            "maildeck (0.1.0) unstable; urgency=low",
            "  * First packaged release.",
            " -- Maildeck developers <dev@maildeck.org>  Sat, 21 Nov 2026 12:00:00 +0000",
            "maildeck (0.2.0) unstable; urgency=low",
            "  * Milter endpoint.",
            " -- Maildeck developers <dev@maildeck.org>  Tue, 05 Jan 2027 12:00:00 +0000");

        assertThatThrownBy(() -> headerOf(outOfOrder, BUILT))
            .hasMessageContaining("changelog entry 0.2.0 is newer than the entry above it, 0.1.0");
    }
}
