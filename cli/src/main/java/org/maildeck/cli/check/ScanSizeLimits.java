package org.maildeck.cli.check;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.james.util.Size;

/**
 * Every message a listener accepts can be virus-scanned: no SMTP or LMTP {@code <maxmessagesize>}
 * above what clamd takes ({@code clamd.stream.max.length}, less room for the headers the server
 * adds before scanning), and clamd's own {@code StreamMaxLength} in its clamd.conf, when that file
 * can be read, not below {@code clamd.stream.max.length}. Larger mail would be accepted and then
 * meet the "unchecked" destiny instead of being delivered.
 */
final class ScanSizeLimits {

    /** Received:, X-Virus-Scanned: and the like, added before the scan: generous. */
    static final long HEADER_ROOM = 64 * 1024;
    private static final List<String> LISTENER_FILES = List.of("smtpserver.xml", "lmtpserver.xml");
    private static final Pattern STREAM_MAX_LENGTH = Pattern.compile("^\\s*StreamMaxLength\\s+(\\d+)\\s*([kKmM]?)\\s*$");

    private ScanSizeLimits() {
    }

    /** {@code settings}: contentfilter.properties, read from {@code contentFilter}, with clamd enabled. */
    static List<Finding> check(Path conf, Path contentFilter, Properties settings) {
        List<Finding> findings = new ArrayList<>();
        String configured = settings.getProperty("clamd.stream.max.length", "25M").trim();
        long scannable;
        try {
            scannable = Size.parse(configured).asBytes();
        } catch (IllegalArgumentException e) {
            findings.add(Finding.error(contentFilter, 0, "clamd.stream.max.length=" + configured + ": " + e.getMessage()));
            return findings;
        }
        for (String name : LISTENER_FILES) {
            Path file = conf.resolve(name);
            ConfigurationFiles.elementsIfReadable(file).orElse(List.of()).stream()
                .filter(element -> element.name().equals("maxmessagesize"))
                .forEach(element -> tooLarge(element.text().trim(), scannable).ifPresent(bytes ->
                    findings.add(Finding.warning(file, element.line(), "<maxmessagesize>" + element.text().trim()
                        + "</maxmessagesize> (" + bytes + " bytes) is more than clamd takes (clamd.stream.max.length=" + configured
                        + " in " + contentFilter + ", less " + HEADER_ROOM / 1024 + " KiB for the headers the server adds):"
                        + " larger mail is accepted and then bounced unscanned; lower it or raise both"))));
        }
        Path clamdConf = Path.of(settings.getProperty("clamd.conf", "/etc/clamav/clamd.conf").trim());
        clamdStreamMaxLength(clamdConf).filter(clamdTakes -> clamdTakes < scannable).ifPresent(clamdTakes ->
            findings.add(Finding.warning(clamdConf, 0, "StreamMaxLength is " + clamdTakes + " bytes, less than clamd.stream.max.length="
                + configured + " (" + scannable + " bytes) in " + contentFilter
                + ": clamd refuses mail between the two, which is then bounced unscanned; make them agree")));
        return findings;
    }

    /** The size in bytes when a listener's limit (KiB) leaves no room under what clamd takes. */
    private static Optional<Long> tooLarge(String kibibytes, long scannable) {
        try {
            long bytes = Long.parseLong(kibibytes) * 1024;
            return bytes + HEADER_ROOM > scannable ? Optional.of(bytes) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** clamd.conf's StreamMaxLength in bytes, when the file can be read and says it (clamd's own default differs by version). */
    private static Optional<Long> clamdStreamMaxLength(Path clamdConf) {
        List<String> lines;
        try {
            lines = Files.readAllLines(clamdConf, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return Optional.empty();
        }
        for (String line : lines) {
            Matcher setting = STREAM_MAX_LENGTH.matcher(line);
            if (setting.matches()) {
                long value = Long.parseLong(setting.group(1));
                return Optional.of(switch (setting.group(2).toLowerCase(Locale.ROOT)) {
                    case "k" -> value * 1024;
                    case "m" -> value * 1024 * 1024;
                    default -> value;
                });
            }
        }
        return Optional.empty();
    }
}
