package org.maildeck.rpmchangelog;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Debian changelog (deb-changelog(5)), the one release history of the packages: the DEB ships it
 * as is, the RPM gets it as its %changelog. Entries come newest first, as in the file.
 */
public final class DebianChangelog {

    /** One release: {@code changes} are its lines between the heading and the trailer, indentation kept. */
    public record Entry(String packageName, String version, String maintainer, ZonedDateTime date, List<String> changes) {
    }

    private static final Pattern HEADING = Pattern.compile("^([a-z0-9][a-z0-9+.-]+) \\(([^ ()]+)\\) [^;]+;.*$");
    private static final Pattern TRAILER = Pattern.compile("^ -- (.+ <[^>]+>)  (.+)$");
    /** dpkg's date: weekday, day (one or two digits, dpkg also takes it space-padded), month, year, time, numeric offset. */
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ENGLISH);

    private final List<Entry> entries;

    private DebianChangelog(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    public List<Entry> entries() {
        return entries;
    }

    /** Reads the changelog's lines; a line out of place fails with its number, as dpkg-parsechangelog does. */
    public static DebianChangelog parse(List<String> lines) {
        List<Entry> entries = new ArrayList<>();
        Matcher heading = null;
        int headingNumber = 0;
        List<String> changes = new ArrayList<>();
        int number = 0;
        for (String line : lines) {
            number++;
            if (heading == null) {
                if (line.isBlank()) {
                    continue;
                }
                heading = HEADING.matcher(line);
                if (!heading.matches()) {
                    throw malformed(number, "expected a heading 'package (version) distribution; urgency=...'", line);
                }
                headingNumber = number;
                changes = new ArrayList<>();
                continue;
            }
            Matcher trailer = TRAILER.matcher(line);
            if (trailer.matches()) {
                List<String> described = trimBlankEnds(changes);
                if (described.isEmpty()) {
                    throw malformed(headingNumber, "the entry for " + heading.group(2) + " describes no change", "");
                }
                entries.add(new Entry(heading.group(1), heading.group(2), trailer.group(1), date(trailer.group(2), number), described));
                heading = null;
            } else if (line.isBlank() || line.startsWith("  ")) {
                changes.add(line.stripTrailing());
            } else {
                throw malformed(number, "expected a change indented by two spaces or the trailer ' -- name <email>  date'", line);
            }
        }
        if (heading != null) {
            throw malformed(headingNumber, "the entry for " + heading.group(2) + " has no trailer ' -- name <email>  date'", "");
        }
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("the changelog has no entry");
        }
        return new DebianChangelog(entries);
    }

    private static ZonedDateTime date(String text, int number) {
        try {
            return ZonedDateTime.parse(text.strip().replaceFirst(",\\s+", ", "), DATE);
        } catch (DateTimeParseException e) {
            throw malformed(number, "expected a date such as 'Sat, 21 Nov 2026 12:00:00 +0000', its weekday matching"
                + " (date -R prints one)", text);
        }
    }

    private static List<String> trimBlankEnds(List<String> changes) {
        int from = 0;
        int to = changes.size();
        while (from < to && changes.get(from).isBlank()) {
            from++;
        }
        while (to > from && changes.get(to - 1).isBlank()) {
            to--;
        }
        return List.copyOf(changes.subList(from, to));
    }

    private static IllegalArgumentException malformed(int number, String expected, String line) {
        return new IllegalArgumentException("changelog line " + number + ": " + expected
            + (line.isEmpty() ? "" : ", found '" + line + "'"));
    }
}
