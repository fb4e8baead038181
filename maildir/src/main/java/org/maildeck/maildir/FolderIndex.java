package org.maildeck.maildir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.maildeck.durability.Durability;

/**
 * The in-memory index of one folder, like Dovecot's index cache: each message's UID, file name,
 * sizes and internal date, and what Maildir has no place for (mod-sequences, the first recent
 * UID), kept in {@code maildeck.index}. The file names and the uidlist are the truth; this only
 * caches them. Not thread-safe: used under its {@link MaildirFolder}'s monitor.
 */
final class FolderIndex {

    /** Mod-sequences handed out between two durable index writes, at most. */
    private static final long MODSEQ_RESERVATION = 10_000;

    private final Path directory;
    private final Durability durability;
    private final TreeMap<Long, IndexEntry> byUid = new TreeMap<>();
    private final Map<String, Long> uidByBase = new HashMap<>();
    /**
     * Each indexed message by its file name as it is now (flags included): a listing finds most
     * files as it left them, and this answers for them with one lookup, without parsing their
     * names (a busy folder is listed at every change: the lookups were most of a listing's cost).
     */
    private final Map<String, IndexEntry> byFileName = new HashMap<>();
    /** The UIDVALIDITY the UIDs belong to. */
    private long uidValidity;
    private long highestModSeq = 1;
    private long modSeqCeiling;
    /**
     * {@code byUid.size()}, readable without the folder's monitor: the monitoring reads it while
     * the folder may be busy with a long operation (a dotlock wait can take minutes).
     */
    private volatile int size;
    private boolean dirty;
    /**
     * Messages from this UID on are \Recent, like Dovecot's first-recent UID: a message appended
     * with flags is stored in cur/ yet is recent. Files in new/ are recent whatever their UID.
     * Volatile: {@link #isRecent} is asked without the folder's monitor.
     */
    private volatile long firstRecentUid = 1;
    /** Sum of the messages' sizes (CRLF size where known), kept up to date for quota checks. */
    private long totalBytes;

    FolderIndex(Path directory, Durability durability) {
        this.directory = directory;
        this.durability = durability;
    }

    /**
     * Starts from {@code maildeck.index} when it belongs to this UIDVALIDITY, else empty; then
     * reserves mod-sequences with a durable write. {@code nextUid}: without an index, what is in
     * cur/ has been seen by someone, only what comes next (and new/) is recent.
     */
    void load(long currentUidValidity, long nextUid) throws IOException {
        uidValidity = currentUidValidity;
        Optional<FolderIndexFile.Content> stored = FolderIndexFile.read(directory);
        // A mod-sequence is 1 or more (RFC 7162); the first change gets 2.
        highestModSeq = 1;
        firstRecentUid = nextUid;
        if (stored.isPresent() && stored.get().uidValidity() == currentUidValidity) {
            FolderIndexFile.Content content = stored.get();
            modSeqCeiling = content.modSeqCeiling();
            highestModSeq = Math.max(1, content.highestModSeq());
            firstRecentUid = content.firstRecentUid();
            long crashModSeq = content.modSeqCeiling() + 1;
            for (IndexEntry entry : content.entries()) {
                // After a crash, changes made since the last write may be lost from the cache; giving
                // every message a mod-sequence above all earlier ones makes CONDSTORE clients resync.
                remember(content.clean() ? entry : entry.withModSeq(crashModSeq));
            }
            if (!content.clean()) {
                highestModSeq = crashModSeq;
            }
        }
    }

    /** Reserves the next mod-sequences durably (after a load, so that a crash never reuses one). */
    void reserveModSeqs() throws IOException {
        persist(false, highestModSeq + MODSEQ_RESERVATION);
    }

    /** A new UIDVALIDITY: the old UIDs mean nothing any more. Returns what was indexed. */
    List<IndexEntry> renumber(long newUidValidity) {
        List<IndexEntry> dropped = List.copyOf(byUid.values());
        byUid.clear();
        uidByBase.clear();
        byFileName.clear();
        size = 0;
        totalBytes = 0;
        uidValidity = newUidValidity;
        return dropped;
    }

    long uidValidity() {
        return uidValidity;
    }

    IndexEntry get(long uid) {
        return byUid.get(uid);
    }

    /** The UID of the message stored under this base name, if it is indexed. */
    Long uidOf(String base) {
        return uidByBase.get(base);
    }

    /**
     * The message indexed as this file in {@code new/} ({@code inNew}) or {@code cur/}, when the
     * index has it so: null for a file it knows under another name or directory, or not.
     */
    IndexEntry unchanged(String fileName, boolean inNew) {
        IndexEntry entry = byFileName.get(fileName);
        return entry != null && entry.inNew() == inNew ? entry : null;
    }

    List<IndexEntry> range(long fromUid, long toUid) {
        return fromUid > toUid ? List.of() : List.copyOf(byUid.subMap(fromUid, true, toUid, true).values());
    }

    Collection<IndexEntry> all() {
        return List.copyOf(byUid.values());
    }

    Collection<String> bases() {
        return uidByBase.keySet();
    }

    int size() {
        return size;
    }

    long totalBytes() {
        return totalBytes;
    }

    long highestModSeq() {
        return highestModSeq;
    }

    boolean isRecent(IndexEntry entry) {
        return entry.inNew() || entry.uid() >= firstRecentUid;
    }

    /** No message numbered below {@code uid} is recent any more. */
    void recentFrom(long uid) {
        firstRecentUid = uid;
        dirty = true;
    }

    void remember(IndexEntry entry) {
        IndexEntry previous = byUid.put(entry.uid(), entry);
        size = byUid.size();
        totalBytes += sizeOf(entry) - sizeOf(previous);
        if (previous != null && !previous.fileName().equals(entry.fileName())) {
            byFileName.remove(previous.fileName());
            if (!previous.base().equals(entry.base())) {
                uidByBase.remove(previous.base());
            }
        }
        uidByBase.put(entry.base(), entry.uid());
        byFileName.put(entry.fileName(), entry);
        highestModSeq = Math.max(highestModSeq, entry.modSeq());
        dirty = true;
    }

    /** Drops the message; returns its entry, or null when it was not indexed. */
    IndexEntry forget(long uid) {
        IndexEntry removed = byUid.remove(uid);
        size = byUid.size();
        if (removed != null) {
            totalBytes -= sizeOf(removed);
            uidByBase.remove(removed.base());
            byFileName.remove(removed.fileName());
            dirty = true;
        }
        return removed;
    }

    private static long sizeOf(IndexEntry entry) {
        return entry == null ? 0 : entry.virtualSize() >= 0 ? entry.virtualSize() : entry.size();
    }

    long nextModSeq() throws IOException {
        long next = highestModSeq + 1;
        if (next > modSeqCeiling) {
            persist(false, next + MODSEQ_RESERVATION);
        }
        highestModSeq = next;
        dirty = true;
        return next;
    }

    /** Writes the index if it changed; {@code clean} at an orderly close. */
    void flush(boolean clean) throws IOException {
        if (dirty || clean) {
            persist(clean, clean ? highestModSeq : modSeqCeiling);
        }
    }

    private void persist(boolean clean, long ceiling) throws IOException {
        modSeqCeiling = ceiling;
        FolderIndexFile.write(directory, new FolderIndexFile.Content(uidValidity, clean, modSeqCeiling,
            highestModSeq, firstRecentUid, List.copyOf(byUid.values())), durability);
        dirty = false;
    }
}
