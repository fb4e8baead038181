package org.maildeck.contentfilter;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Which attachments are not let through (amavisd's banned files): file name patterns
 * ({@code *.exe}; case does not matter, the last path element counts, so {@code report.pdf.exe}
 * and {@code dir/setup.exe} are caught) and MIME types, applied to every MIME part and to every
 * file inside zip archives. Archives are opened at most {@code maxArchiveDepth} levels deep, with
 * at most {@code maxArchiveEntries} files and {@code maxExpandedBytes} unpacked in all; an
 * archive beyond a limit is banned too, as it could hide anything (zip bombs). A MIME tree deeper
 * than {@code maxMimeDepth} (multiparts and attached messages, each a level) is banned for the
 * same reason: real mail nests a few levels, and walking a thousand would cost a parse each.
 */
public final class BannedAttachmentRules {
    /** Executables and scripts Windows runs on a double click, as in amavisd's default banned list. */
    public static final List<String> DEFAULT_NAMES = List.of("*.exe", "*.com", "*.scr", "*.pif", "*.bat", "*.cmd",
        "*.cpl", "*.msi", "*.msp", "*.hta", "*.vbs", "*.vbe", "*.js", "*.jse", "*.wsf", "*.wsh", "*.ps1", "*.lnk",
        "*.reg", "*.jar");
    public static final Set<String> DEFAULT_TYPES = Set.of("application/x-msdownload", "application/x-dosexec",
        "application/x-msdos-program", "application/x-ms-installer", "application/hta");

    private final List<String> namePatterns;
    /** {@link #namePatterns} as regular expressions, compiled once: every part of every message is checked against all of them. */
    private final List<Pattern> nameRegexes;
    private final Set<String> contentTypes;
    private final int maxArchiveDepth;
    private final int maxArchiveEntries;
    private final long maxExpandedBytes;
    private final int maxMimeDepth;

    public BannedAttachmentRules(List<String> namePatterns, Set<String> contentTypes,
                                 int maxArchiveDepth, int maxArchiveEntries, long maxExpandedBytes, int maxMimeDepth) {
        this.namePatterns = List.copyOf(namePatterns);
        this.nameRegexes = this.namePatterns.stream().map(BannedAttachmentRules::glob).toList();
        this.contentTypes = contentTypes.stream().map(type -> type.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        this.maxArchiveDepth = maxArchiveDepth;
        this.maxArchiveEntries = maxArchiveEntries;
        this.maxExpandedBytes = maxExpandedBytes;
        this.maxMimeDepth = maxMimeDepth;
    }

    public static BannedAttachmentRules defaults() {
        return new BannedAttachmentRules(DEFAULT_NAMES, DEFAULT_TYPES, 3, 1000, 100L * 1024 * 1024, 20);
    }

    /** The pattern {@code fileName} matches, if any. */
    public Optional<String> bannedName(String fileName) {
        String base = fileName.substring(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1)
            .trim().toLowerCase(Locale.ROOT);
        for (int i = 0; i < nameRegexes.size(); i++) {
            if (nameRegexes.get(i).matcher(base).matches()) {
                return Optional.of(namePatterns.get(i));
            }
        }
        return Optional.empty();
    }

    public boolean bannedType(String contentType) {
        String bare = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return contentTypes.contains(bare);
    }

    public List<String> namePatterns() {
        return namePatterns;
    }

    public Set<String> contentTypes() {
        return contentTypes;
    }

    public int maxArchiveDepth() {
        return maxArchiveDepth;
    }

    public int maxArchiveEntries() {
        return maxArchiveEntries;
    }

    public long maxExpandedBytes() {
        return maxExpandedBytes;
    }

    public int maxMimeDepth() {
        return maxMimeDepth;
    }

    private static Pattern glob(String pattern) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toLowerCase(Locale.ROOT).toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }
}
