package org.maildeck.maildir;

import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Maildir file name: a unique base name, optionally followed by {@code :2,} and the flag
 * letters in ASCII order. The base may carry {@code ,S=<size>} (bytes on disk) and
 * {@code ,W=<vsize>} (size with CRLF line endings), which Dovecot writes and reads.
 */
public record MaildirFileName(String base, Optional<String> flagLetters) {

    public static final String INFO_SEPARATOR = ":2,";

    private static final AtomicLong DELIVERY_COUNTER = new AtomicLong();

    public static MaildirFileName parse(String fileName) {
        int info = fileName.indexOf(':');
        if (info < 0) {
            return new MaildirFileName(fileName, Optional.empty());
        }
        String base = fileName.substring(0, info);
        String rest = fileName.substring(info);
        if (rest.startsWith(INFO_SEPARATOR)) {
            return new MaildirFileName(base, Optional.of(rest.substring(INFO_SEPARATOR.length())));
        }
        // ":1,..." (experimental semantics) or garbage: keep the base, no flags we understand.
        return new MaildirFileName(base, Optional.of(""));
    }

    /**
     * A fresh unique base name in Dovecot's pattern
     * {@code <secs>.M<usec>P<pid>Q<n>.<host>,S=<size>,W=<vsize>}.
     */
    public static String newBase(String uniquePart, long size, long virtualSize) {
        return uniquePart + ",S=" + size + ",W=" + virtualSize;
    }

    /** {@code <secs>.M<usec>P<pid>Q<n>.<host>}: unique for this host, as long as its clock does not go back. */
    public static String newUniquePart(String host) {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() + ".M" + now.getNano() / 1000 + "P" + ProcessHandle.current().pid()
            + "Q" + DELIVERY_COUNTER.incrementAndGet() + "." + escapeHost(host);
    }

    /** Dovecot escapes the two characters of a host name that would break the name's syntax. */
    static String escapeHost(String host) {
        return host.replace("/", "\\057").replace(":", "\\072");
    }

    public String fileName() {
        return flagLetters.map(letters -> base + INFO_SEPARATOR + letters).orElse(base);
    }

    public MaildirFileName withFlags(String letters) {
        return new MaildirFileName(base, Optional.of(letters));
    }

    public OptionalLong size() {
        return field(base, "S");
    }

    public OptionalLong virtualSize() {
        return field(base, "W");
    }

    private static OptionalLong field(String base, String key) {
        String marker = "," + key + "=";
        int at = base.indexOf(marker);
        if (at < 0) {
            return OptionalLong.empty();
        }
        int start = at + marker.length();
        int end = start;
        while (end < base.length() && Character.isDigit(base.charAt(end))) {
            end++;
        }
        if (end == start || end - start > 18) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Long.parseLong(base.substring(start, end)));
    }
}
