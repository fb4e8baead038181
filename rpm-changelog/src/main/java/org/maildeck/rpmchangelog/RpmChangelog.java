package org.maildeck.rpmchangelog;

import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Collectors;

import org.eclipse.packager.rpm.RpmTag;
import org.eclipse.packager.rpm.RpmVersion;
import org.eclipse.packager.rpm.header.Header;

/**
 * The RPM form of a {@link DebianChangelog}: the three parallel %changelog tags rpmbuild writes.
 * As rpmbuild does, an entry keeps only the day its author wrote (at noon UTC), its author line ends with the version,
 * and each change is a "- " item. The entry of the package's own version names it with its release
 * ({@code 0.1.0-1}), the form rpm users and rpmlint expect; a Debian changelog has no release.
 */
public final class RpmChangelog {

    private RpmChangelog() {
    }

    public static void putInto(Header<RpmTag> header, DebianChangelog changelog, RpmVersion packageVersion) {
        List<DebianChangelog.Entry> entries = changelog.entries();
        requireNewestFirst(entries);
        header.putInt(RpmTag.CHANGELOG_TIMESTAMP, entries.stream().mapToInt(RpmChangelog::timestamp).toArray());
        header.putStringArray(RpmTag.CHANGELOG_AUTHOR, entries.stream()
            .map(entry -> author(entry, packageVersion)).toArray(String[]::new));
        header.putStringArray(RpmTag.CHANGELOG_TEXT, entries.stream().map(RpmChangelog::text).toArray(String[]::new));
    }

    /** rpm's changelog time is an unsigned 32-bit count of seconds: the cast keeps those bits. */
    static int timestamp(DebianChangelog.Entry entry) {
        return (int) entry.date().toLocalDate().atTime(LocalTime.NOON).toEpochSecond(ZoneOffset.UTC);
    }

    static String author(DebianChangelog.Entry entry, RpmVersion packageVersion) {
        String version = entry.version();
        if (version.equals(packageVersion.getVersion()) && packageVersion.getRelease().isPresent()) {
            version += "-" + packageVersion.getRelease().get();
        }
        return entry.maintainer() + " - " + version;
    }

    /** Debian's "  * change" and its "    continuation" become rpm's "- change" and "  continuation". */
    static String text(DebianChangelog.Entry entry) {
        return entry.changes().stream()
            .map(line -> line.isBlank() ? "" : line.substring(2))
            .map(line -> line.startsWith("* ") ? "- " + line.substring(2) : line)
            .collect(Collectors.joining("\n"));
    }

    /** rpm refuses a %changelog whose entries are not in descending order of time. */
    private static void requireNewestFirst(List<DebianChangelog.Entry> entries) {
        for (int i = 1; i < entries.size(); i++) {
            if (Integer.compareUnsigned(timestamp(entries.get(i)), timestamp(entries.get(i - 1))) > 0) {
                throw new IllegalArgumentException("changelog entry " + entries.get(i).version()
                    + " is newer than the entry above it, " + entries.get(i - 1).version() + ": newest first");
            }
        }
    }
}
