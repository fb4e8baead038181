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
public record BannedAttachmentRules(List<String> namePatterns, Set<String> contentTypes,
                                    int maxArchiveDepth, int maxArchiveEntries, long maxExpandedBytes, int maxMimeDepth) {

    /** Executables and scripts Windows runs on a double click, as in amavisd's default banned list. */
    public static final List<String> DEFAULT_NAMES = List.of("*.exe", "*.com", "*.scr", "*.pif", "*.bat", "*.cmd",
        "*.cpl", "*.msi", "*.msp", "*.hta", "*.vbs", "*.vbe", "*.js", "*.jse", "*.wsf", "*.wsh", "*.ps1", "*.lnk",
        "*.reg", "*.jar");
    public static final Set<String> DEFAULT_TYPES = Set.of("application/x-msdownload", "application/x-dosexec",
        "application/x-msdos-program", "application/x-ms-installer", "application/hta");

    public BannedAttachmentRules {
        namePatterns = List.copyOf(namePatterns);
        contentTypes = contentTypes.stream().map(type -> type.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    }

    public static BannedAttachmentRules defaults() {
        return new BannedAttachmentRules(DEFAULT_NAMES, DEFAULT_TYPES, 3, 1000, 100L * 1024 * 1024, 20);
    }

    /** The pattern {@code fileName} matches, if any. */
    public Optional<String> bannedName(String fileName) {
        String base = fileName.substring(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1)
            .trim().toLowerCase(Locale.ROOT);
        return namePatterns.stream().filter(pattern -> glob(pattern).matcher(base).matches()).findFirst();
    }

    public boolean bannedType(String contentType) {
        String bare = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return contentTypes.contains(bare);
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
