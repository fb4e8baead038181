package org.maildeck.mailets.sieve;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import org.maildeck.durability.Durability;

/**
 * Which senders a user's vacation already answered, and until when: RFC 5230's "one reply per
 * sender per :days", remembered across restarts and crashes.
 *
 * <p>Kept in the user's home ({@code <home>/.maildeck.vacation}), not in Derby, for the same
 * reason Pigeonhole keeps its {@code .dovecot.lda-dupes} there: it belongs to the user's mail, is
 * moved, backed up and removed with it, and a server taking over the home keeps answering once.
 * (Pigeonhole's file is a binary hash table of its own; the two servers do not share it.) One text
 * line per reply: {@code <epoch second until which the sender is not answered again> <SHA-256 of
 * the lower-cased sender, a NUL and the :handle>}, so the file names no correspondent.</p>
 *
 * <p>A reply is recorded, fsync'd, before it is sent: a crash between the two loses one
 * auto-reply, never sends two (an auto-reply too few is the harmless side). Expired lines are
 * dropped when they make up most of a file of some size, by a whole-file atomic rewrite. Callers
 * for one home are serialised in this process; the file is Maildeck's alone.</p>
 */
final class VacationMemory {

    static final String FILE = ".maildeck.vacation";
    private static final int COMPACT_AFTER_LINES = 200;

    private final Durability durability;
    private final Clock clock;
    private final ConcurrentMap<Path, Object> locks = new ConcurrentHashMap<>();

    VacationMemory(Durability durability, Clock clock) {
        this.durability = durability;
        this.clock = clock;
    }

    /**
     * True, and the reply remembered for {@code period}, when {@code sender} was not answered
     * under this {@code handle} within its last period; false otherwise.
     */
    boolean firstReplyWithin(Path home, String sender, String handle, Duration period) throws IOException {
        Path file = home.resolve(FILE);
        String key = key(sender, handle);
        long now = clock.instant().getEpochSecond();
        synchronized (locks.computeIfAbsent(home, any -> new Object())) {
            List<String> lines = read(file);
            List<String> live = new ArrayList<>();
            for (String line : lines) {
                int space = line.indexOf(' ');
                if (space <= 0 || !isLive(line.substring(0, space), now)) {
                    continue;
                }
                if (line.substring(space + 1).equals(key)) {
                    return false;
                }
                live.add(line);
            }
            String entry = clock.instant().plus(period).getEpochSecond() + " " + key;
            if (lines.size() >= COMPACT_AFTER_LINES && live.size() * 2 < lines.size()) {
                live.add(entry);
                durability.writeAtomically(home.resolve(FILE + ".tmp"), file,
                    out -> out.write((String.join("\n", live) + "\n").getBytes(US_ASCII)));
            } else {
                append(file, entry + "\n");
            }
            return true;
        }
    }

    private static boolean isLive(String until, long now) {
        try {
            return Long.parseLong(until) > now;
        } catch (NumberFormatException damaged) {
            return false;
        }
    }

    private static List<String> read(Path file) throws IOException {
        if (Files.isSymbolicLink(file)) {
            throw new IOException(file + " is a symbolic link; refusing to follow it");
        }
        try {
            return Files.readAllLines(file, US_ASCII);
        } catch (NoSuchFileException none) {
            return List.of();
        }
    }

    private void append(Path file, String line) throws IOException {
        boolean created = !Files.exists(file, LinkOption.NOFOLLOW_LINKS);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            ByteBuffer bytes = ByteBuffer.wrap(line.getBytes(US_ASCII));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            durability.force(channel);
        }
        if (created) {
            durability.syncDirectory(file.getParent());
        }
    }

    private static String key(String sender, String handle) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(sender.toLowerCase(Locale.ROOT).getBytes(UTF_8));
            sha.update((byte) 0);
            sha.update(handle.getBytes(UTF_8));
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

}
