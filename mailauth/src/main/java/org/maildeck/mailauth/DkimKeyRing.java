package org.maildeck.mailauth;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The signing keys of the key directory, one per domain, read at start and read again when the
 * directory changes: {@code maildeck dkim keygen} links a new file into it, which moves the
 * directory's modification time, and a replaced or edited file moves its own. Looked at no more
 * often than every {@code recheck}, so that signing costs a {@code stat} now and then, not a read.
 * A domain with several keys is signed with the newest (the last generated): an admin rotating a
 * key generates the new one under a new selector and publishes its record at once.
 * An unreadable file is logged and skipped; the other domains keep signing.
 */
public final class DkimKeyRing {

    private static final Logger LOGGER = LoggerFactory.getLogger(DkimKeyRing.class);

    private final Path directory;
    private final Duration recheck;
    private final Clock clock;
    private volatile Snapshot snapshot = new Snapshot(Map.of(), Map.of(), Instant.MIN);

    private record Snapshot(Map<String, DkimKeyFile> byDomain, Map<Path, FileTime> stamps, Instant checked) {
    }

    public DkimKeyRing(Path directory, Duration recheck, Clock clock) {
        this.directory = directory;
        this.recheck = recheck;
        this.clock = clock;
        snapshot = load();
    }

    public Path directory() {
        return directory;
    }

    /** The key that signs the mail of {@code domain}, if it has one. */
    public Optional<DkimKeyFile> forDomain(String domain) {
        return Optional.ofNullable(current().byDomain.get(domain.toLowerCase(Locale.ROOT)));
    }

    public int size() {
        return current().byDomain.size();
    }

    private Snapshot current() {
        Snapshot seen = snapshot;
        Instant now = clock.instant();
        if (now.isBefore(seen.checked.plus(recheck))) {
            return seen;
        }
        synchronized (this) {
            if (snapshot != seen) {
                return snapshot;
            }
            Map<Path, FileTime> stamps = stamps();
            snapshot = stamps.equals(seen.stamps) ? new Snapshot(seen.byDomain, seen.stamps, now) : load();
            return snapshot;
        }
    }

    /** The directory's and each key file's modification time: what changes when a key comes, goes or changes. */
    private Map<Path, FileTime> stamps() {
        Map<Path, FileTime> stamps = new TreeMap<>();
        try {
            stamps.put(directory, Files.getLastModifiedTime(directory));
            for (Path file : keyFiles()) {
                stamps.put(file, Files.getLastModifiedTime(file));
            }
        } catch (NoSuchFileException e) {
            // no directory (no key yet), or a file removed while listed: compared as such, read again next time
        } catch (IOException e) {
            LOGGER.warn("DKIM keys: cannot look at {}: {}", directory, e.toString());
        }
        return stamps;
    }

    private List<Path> keyFiles() throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*.key")) {
            List<Path> list = new java.util.ArrayList<>();
            for (Path file : files) {
                if (!file.getFileName().toString().startsWith(".")) {
                    list.add(file);
                }
            }
            return list;
        }
    }

    private Snapshot load() {
        Map<Path, FileTime> stamps = stamps();
        Map<String, DkimKeyFile> byDomain = new HashMap<>();
        stamps.entrySet().stream()
            .filter(entry -> !entry.getKey().equals(directory))
            .sorted(Map.Entry.comparingByValue(Comparator.naturalOrder()))
            .forEach(entry -> {
                try {
                    DkimKeyFile key = DkimKeyFile.read(entry.getKey());
                    byDomain.put(key.domain(), key);
                } catch (IOException e) {
                    LOGGER.warn("DKIM keys: {} skipped: {}", entry.getKey(), e.getMessage());
                }
            });
        if (!byDomain.isEmpty() || stamps.size() > 1) {
            LOGGER.info("DKIM keys: {}", byDomain.values().stream().sorted(Comparator.comparing(DkimKeyFile::domain))
                .map(key -> key.domain() + " (selector " + key.selector() + ", " + key.bits() + " bits)")
                .collect(Collectors.joining(", ")));
        }
        return new Snapshot(Map.copyOf(byDomain), stamps, clock.instant());
    }
}
