package org.maildeck.contentfilter.quarantine;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import javax.persistence.EntityManager;
import javax.persistence.EntityManagerFactory;

import org.maildeck.durability.DatabaseTransaction;
import org.maildeck.durability.Durability;

/**
 * Messages held back by the content filter: each one a file under
 * {@code <directory>/<category>/<id>}, written and synced before its row in the Derby index is
 * committed, so an indexed entry always has its message. Ids look like amavisd's
 * ({@code virus-Zq3mB0x7TcKd}) and are checked before they touch a path.
 */
public final class Quarantine {
    private static final Pattern CATEGORY = Pattern.compile("[a-z]{1,16}");
    private static final Pattern ID = Pattern.compile("([a-z]{1,16})-[A-Za-z0-9]{12}");
    private static final String ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    /** The message bytes, written once into the quarantine file. */
    @FunctionalInterface
    public interface MessageContent {
        void writeTo(OutputStream out) throws IOException;
    }

    private final Path directory;
    private final EntityManagerFactory entityManagerFactory;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    /** Raised by every change; the holdings are computed again only after one. */
    private final AtomicLong changes = new AtomicLong();
    private volatile HoldingsAt holdings = new HoldingsAt(-1, Map.of());

    private record HoldingsAt(long changes, Map<String, Holding> byCategory) {
    }

    public Quarantine(Path directory, EntityManagerFactory entityManagerFactory, Clock clock) {
        this.directory = directory;
        this.entityManagerFactory = entityManagerFactory;
        this.clock = clock;
    }

    /** Stores a message durably and returns its entry; {@code sender} is empty for {@code <>}. */
    public QuarantineEntry put(String category, String reason, String sender, List<String> recipients,
                               MessageContent content) throws IOException {
        if (!CATEGORY.matcher(category).matches()) {
            throw new IllegalArgumentException("quarantine category must be 1-16 letters a-z: " + category);
        }
        String id = category + "-" + randomSuffix();
        Path folder = Files.createDirectories(directory.resolve(category));
        Path file = folder.resolve(id);
        long size = writeSynced(folder, file, content);
        QuarantineEntry entry = new QuarantineEntry(id, clock.instant(), category, reason, sender, recipients, size);
        try {
            inTransaction(manager -> {
                manager.persist(new QuarantineIndexRow(entry));
                return null;
            });
        } catch (RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
        changes.incrementAndGet();
        return entry;
    }

    /** All entries, oldest first. */
    public List<QuarantineEntry> list() {
        return inTransaction(manager -> manager.createNamedQuery("listQuarantine", QuarantineIndexRow.class)
            .getResultList().stream().map(QuarantineIndexRow::toEntry).toList());
    }

    /** What one category holds: how many messages, their size, and when the oldest was caught. */
    public record Holding(long messages, long bytes, Instant oldest) {
    }

    /**
     * Per category, computed by the database from the index rather than by reading every entry,
     * and only once per change: a JMX console reads the four quarantine attributes every few seconds.
     * This instance is the index's only writer (embedded Derby is one process's).
     */
    public Map<String, Holding> holdings() {
        HoldingsAt known = holdings;
        long now = changes.get();
        if (known.changes() == now) {
            return known.byCategory();
        }
        Map<String, Holding> computed = Map.copyOf(queryHoldings());
        // a change made during the query may or may not be in it: remember it only if there was none
        if (changes.get() == now) {
            holdings = new HoldingsAt(now, computed);
        }
        return computed;
    }

    private Map<String, Holding> queryHoldings() {
        return inTransaction(manager -> manager.createNamedQuery("quarantineHoldings", Object[].class).getResultList().stream()
            .collect(Collectors.toMap(row -> (String) row[0],
                row -> new Holding(((Number) row[1]).longValue(), ((Number) row[2]).longValue(), Instant.ofEpochMilli(((Number) row[3]).longValue())))));
    }

    public Optional<QuarantineEntry> find(String id) {
        if (!isWellFormed(id)) {
            return Optional.empty();
        }
        return inTransaction(manager -> Optional.ofNullable(manager.find(QuarantineIndexRow.class, id)).map(QuarantineIndexRow::toEntry));
    }

    /** The message as it was caught; empty when no such entry exists. */
    public Optional<InputStream> open(String id) throws IOException {
        Optional<QuarantineEntry> entry = find(id);
        if (entry.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.newInputStream(fileOf(entry.get())));
        } catch (NoSuchFileException e) {
            throw new IOException("quarantine entry " + id + " has lost its message file " + e.getFile(), e);
        }
    }

    /** Removes the entry and its file; false when there was no such entry. */
    public boolean delete(String id) throws IOException {
        Optional<QuarantineEntry> entry = find(id);
        if (entry.isEmpty()) {
            return false;
        }
        // the row goes first: a crash in between leaves a stray file, never a row without its message
        boolean removed = inTransaction(manager -> {
            QuarantineIndexRow record = manager.find(QuarantineIndexRow.class, id);
            if (record == null) {
                return false;
            }
            manager.remove(record);
            return true;
        });
        if (removed) {
            changes.incrementAndGet();
        }
        Files.deleteIfExists(fileOf(entry.get()));
        return removed;
    }

    public static boolean isWellFormed(String id) {
        return id != null && ID.matcher(id).matches();
    }

    private Path fileOf(QuarantineEntry entry) {
        return directory.resolve(entry.category()).resolve(entry.id());
    }

    private String randomSuffix() {
        StringBuilder suffix = new StringBuilder(12);
        for (int i = 0; i < 12; i++) {
            suffix.append(ID_ALPHABET.charAt(random.nextInt(ID_ALPHABET.length())));
        }
        return suffix.toString();
    }

    private static long writeSynced(Path folder, Path file, MessageContent content) throws IOException {
        Durability.UNWATCHED.writeAtomically(folder.resolve("." + file.getFileName() + ".tmp"), file, content::writeTo);
        return Files.size(file);
    }

    private <T> T inTransaction(Function<EntityManager, T> work) {
        return DatabaseTransaction.run(entityManagerFactory, work);
    }
}
