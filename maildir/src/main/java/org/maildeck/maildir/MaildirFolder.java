package org.maildeck.maildir;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import javax.mail.Flags;
import org.maildeck.durability.Durability;

/**
 * One Maildir++ folder: {@code cur/ new/ tmp/} plus Dovecot's {@code dovecot-uidlist} and
 * {@code dovecot-keywords}, and our {@code maildeck.index}.
 *
 * <p>Split along Dovecot's seams: the file names and the uidlist are the truth, cached with
 * mod-sequences by {@link FolderIndex}; {@link FolderSync} reconciles the cache with the
 * directories when their mtimes changed, so repeated reads of an unchanged folder touch no file;
 * {@link FolderFlags} renames files for flags and keeps \Recent; {@link FolderSave} stores
 * messages (deliveries, APPEND, COPY, MOVE), writing files in parallel and putting them into place
 * in batches. This class holds them together under its monitor: one thread at a time changes a
 * folder in this process, and the uidlist/keywords dotlocks order us with other processes.</p>
 */
public final class MaildirFolder {

    /** How far behind other programs' changes {@link #syncForFigures()} may be. */
    private static final long FIGURES_MAY_LAG_MS = 1_000;

    private final Path directory;
    private final String host;
    private final Durability durability;
    private final DovecotUidList uidList;
    private final DovecotKeywords keywords;
    private final DeliveryLedger ledger;

    private final FolderIndex index;
    private final FolderSync folderSync;
    private final FolderFlags flags;
    private final FolderSave save;
    private final HeaderFieldCache headerFields = new HeaderFieldCache();
    /** Volatile: the monitoring reads it without the folder's lock. */
    private volatile boolean loaded;
    private volatile long lastUsed = System.currentTimeMillis();
    /** What {@link #status()} found last and the stamp it reflects; null when the sync could not trust the directories. */
    private volatile RememberedStatus rememberedStatus;

    private record RememberedStatus(FolderStatus status, FolderStamp stamp) {
    }

    /** What a {@link #sync()} found changed by someone else. */
    public record Changes(List<IndexEntry> added, List<IndexEntry> expunged, List<FlagChange> flagChanges) {
        static final Changes NONE = new Changes(List.of(), List.of(), List.of());

        public boolean isEmpty() {
            return added.isEmpty() && expunged.isEmpty() && flagChanges.isEmpty();
        }
    }

    public record FlagChange(IndexEntry before, IndexEntry after) {
    }

    MaildirFolder(Path directory, String host, Durability durability) {
        this(directory, host, durability, Clock.systemUTC());
    }

    /** With the clock that times how long mtimes carried over our own renames are trusted (tests move it). */
    MaildirFolder(Path directory, String host, Durability durability, Clock clock) {
        this.directory = directory;
        this.host = host;
        this.durability = durability;
        this.uidList = new DovecotUidList(directory, durability);
        this.keywords = new DovecotKeywords(directory, durability);
        this.ledger = new DeliveryLedger(directory, durability);
        this.index = new FolderIndex(directory, durability);
        this.folderSync = new FolderSync(directory, uidList, keywords, index, clock);
        this.flags = new FolderFlags(this, uidList, keywords, index, folderSync);
        this.save = new FolderSave(this, host, durability);
    }

    public Path directory() {
        return directory;
    }

    long lastUsed() {
        return lastUsed;
    }

    /** Whether the index is in memory: read or built, not dropped since. */
    boolean indexLoaded() {
        return loaded;
    }

    /** How many messages the in-memory index lists (0 while it is not loaded). */
    int messagesInMemory() {
        return loaded ? index.size() : 0;
    }

    public static boolean looksLikeMaildir(Path directory) {
        return Files.isDirectory(directory.resolve("cur"), LinkOption.NOFOLLOW_LINKS)
            && Files.isDirectory(directory.resolve("new"), LinkOption.NOFOLLOW_LINKS);
    }

    /** Creates {@code cur/ new/ tmp/} and the uidlist when missing; an existing folder is left as it is. */
    public synchronized void create(long uidValidity) throws IOException {
        for (String sub : List.of("cur", "new", "tmp")) {
            Path path = directory.resolve(sub);
            try {
                Files.createDirectories(path);
            } catch (FileAlreadyExistsException notADirectory) {
                throw new IOException(path + " exists and is not a directory", notADirectory);
            }
            MaildirLayout.refuseSymlink(path);
        }
        durability.syncDirectory(directory);
        if (!uidList.exists()) {
            uidList.create(uidValidity);
        }
    }

    // ---- reads -------------------------------------------------------------------------------

    /**
     * UIDVALIDITY and GUID, cheaply: from the uidlist header when this folder is not loaded yet.
     * Once loaded, as the last sync read them, without the folder's monitor: every mailbox lookup
     * asks for them, and under ten sessions on one folder they queued behind each listing and
     * fsync (imap-stress's JFR: the monitor's longest wait).
     */
    public DovecotUidList.Identity identity() throws IOException {
        DovecotUidList.Identity known = loaded ? uidList.identity() : null;
        if (known != null) {
            lastUsed = System.currentTimeMillis();
            return known;
        }
        return identityLocked();
    }

    private synchronized DovecotUidList.Identity identityLocked() throws IOException {
        if (!loaded) {
            Optional<DovecotUidList.Identity> peeked = DovecotUidList.peekIdentity(directory);
            if (peeked.isPresent()) {
                return peeked.get();
            }
        }
        ensureLoaded();
        return new DovecotUidList.Identity(uidList.uidValidity(), uidList.guid());
    }

    public synchronized long uidValidity() throws IOException {
        ensureLoaded();
        return uidList.uidValidity();
    }

    public synchronized String guid() throws IOException {
        ensureLoaded();
        return uidList.guid();
    }

    public synchronized long nextUid() throws IOException {
        ensureLoaded();
        return uidList.nextUid();
    }

    public synchronized long highestModSeq() throws IOException {
        ensureLoaded();
        return index.highestModSeq();
    }

    public synchronized List<IndexEntry> entries(long fromUid, long toUid) throws IOException {
        ensureLoaded();
        return index.range(fromUid, toUid);
    }

    public synchronized Optional<IndexEntry> entry(long uid) throws IOException {
        ensureLoaded();
        return Optional.ofNullable(index.get(uid));
    }

    public synchronized int count() throws IOException {
        ensureLoaded();
        return index.size();
    }

    public synchronized long totalSize() throws IOException {
        ensureLoaded();
        return index.totalBytes();
    }

    /**
     * MESSAGES, UNSEEN, UIDNEXT and UIDVALIDITY after a sync, as one snapshot. When the sync could
     * trust the directories' mtimes, the figures are remembered with the folder's stamp for
     * {@link #statusIfUnchanged()}.
     */
    public synchronized FolderStatus status() throws IOException {
        sync();
        FolderStatus status = FolderStatus.count(index.all(), uidList.nextUid(), uidList.uidValidity());
        rememberedStatus = folderSync.trustedStamp().map(stamp -> new RememberedStatus(status, stamp)).orElse(null);
        return status;
    }

    /**
     * What {@link #status()} found last, if {@code new/}, {@code cur/} and the uidlist are still
     * as they were then (three stat calls, {@link FolderStamp}); empty when something may have
     * changed or the folder cannot be read, and then {@link #status()} tells. Without the
     * monitor: the answer a mail reader asks of every folder every few minutes, given on the
     * caller's thread, without waiting behind another session's listing or fsync.
     */
    public Optional<FolderStatus> statusIfUnchanged() {
        RememberedStatus remembered = rememberedStatus;
        if (remembered == null) {
            return Optional.empty();
        }
        try {
            return remembered.stamp().equals(FolderStamp.read(directory)) ? Optional.of(remembered.status()) : Optional.empty();
        } catch (IOException changedOrGone) {
            return Optional.empty();
        }
    }

    /**
     * The entry's flags, keywords and \Recent as the folder knows them now. Without the monitor
     * once loaded: the entry is immutable, and the keyword table and the first recent UID are
     * published whole (volatile); it is asked once per message of a FETCH, STORE and every
     * session's flag update, and each of those waited for the monitor.
     */
    public Flags flagsOf(IndexEntry entry) throws IOException {
        if (!loaded) {
            synchronized (this) {
                ensureLoaded();
            }
        }
        return flags.flagsOf(entry);
    }

    public boolean isRecent(IndexEntry entry) {
        return index.isRecent(entry);
    }

    /** The keywords this folder's messages may carry (Dovecot's keywords file). */
    public synchronized List<String> keywordNames() throws IOException {
        ensureLoaded();
        keywords.refresh();
        List<String> names = new ArrayList<>();
        for (char letter = 'a'; letter <= 'z'; letter++) {
            keywords.keywordOf(letter).ifPresent(names::add);
        }
        return names;
    }

    /** Reads a message's header fields for SEARCH from its file. */
    @FunctionalInterface
    public interface HeaderFieldReader {
        SearchedHeaderFields read() throws IOException;
    }

    /**
     * The header fields SEARCH looks at of the message read from {@code entry}: kept from an
     * earlier read ({@link HeaderFieldCache}) without the monitor, else read by {@code reader}
     * and kept if the folder still has the message.
     */
    public SearchedHeaderFields searchedHeaderFields(IndexEntry entry, HeaderFieldReader reader) throws IOException {
        SearchedHeaderFields known = headerFields.get(entry);
        if (known != null) {
            return known;
        }
        SearchedHeaderFields read = reader.read();
        synchronized (this) {
            if (loaded && index.get(entry.uid()) != null) {
                headerFields.put(entry, read, index.size(), uid -> index.get(uid) != null);
            }
        }
        return read;
    }

    /** How many messages' header fields for SEARCH are kept, for tests. */
    int headerFieldsKept() {
        return headerFields.size();
    }

    /** Something done with a message's file, given its entry and the file's path. */
    @FunctionalInterface
    interface FileAction<T> {
        T apply(IndexEntry entry, Path file) throws IOException;
    }

    /**
     * Acts on a message's file where the index says it is. Another program (Dovecot, a second
     * session) may have renamed it for its flags or moved it to {@code cur/}: when the file is not
     * there, one sync finds its current name, and the action is tried there. Throws
     * {@link NoSuchFileException} when the message is gone.
     */
    synchronized <T> T onFileOf(long uid, FileAction<T> action) throws IOException {
        ensureLoaded();
        IndexEntry entry = index.get(uid);
        if (entry == null) {
            throw expunged(uid);
        }
        try {
            return action.apply(entry, directory.resolve(entry.relativePath()));
        } catch (NoSuchFileException renamedMeanwhile) {
            sync();
            IndexEntry current = index.get(uid);
            if (current == null) {
                throw expunged(uid);
            }
            return action.apply(current, directory.resolve(current.relativePath()));
        }
    }

    private NoSuchFileException expunged(long uid) {
        return new NoSuchFileException(directory + " uid " + uid, null, "message was expunged");
    }

    /** The file as it is named now; a message renamed by someone else is found again by a sync. */
    public Path fileOf(long uid) throws IOException {
        return onFileOf(uid, (entry, file) -> {
            if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                throw new NoSuchFileException(file.toString());
            }
            return file;
        });
    }

    /**
     * The message's content with CRLF line endings, whatever the file holds. Opened where the
     * index says (never through a symlink); only a file renamed meanwhile costs a sync.
     */
    public InputStream openContent(long uid) throws IOException {
        return onFileOf(uid, (entry, file) -> {
            InputStream buffered = new BufferedInputStream(Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS), readBufferFor(entry));
            return entry.virtualSize() == entry.size() ? buffered : new CrlfInputStream(buffered);
        });
    }

    /**
     * The whole file in one read when it is small, at most 64 KiB at a time: a buffer of 64 KiB
     * for every opening was over half of the bytes the server allocated under imap-stress (its
     * messages are 2-4 KB, and a header read for FETCH opens the file each time).
     */
    private static int readBufferFor(IndexEntry entry) {
        return (int) Math.max(512, Math.min(1 << 16, entry.size() + 1));
    }

    /** Size with CRLF line endings; read once from the file when its name does not say. */
    public long virtualSize(long uid) throws IOException {
        IndexEntry entry = entry(uid).orElseThrow(() -> expunged(uid));
        if (entry.virtualSize() >= 0) {
            return entry.virtualSize();
        }
        InputStream content = onFileOf(uid, (known, file) -> Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS));
        long computed;
        try (InputStream in = new BufferedInputStream(content)) {
            computed = CrlfInputStream.virtualSize(in);
        }
        synchronized (this) {
            IndexEntry current = index.get(uid);
            if (current != null) {
                index.remember(current.withVirtualSize(computed));
            }
        }
        return computed;
    }

    // ---- changes -----------------------------------------------------------------------------

    /** Stores a message, with a delivery key at most once: see {@link FolderSave}. */
    public IndexEntry deliver(InputStream content, Flags flags, Date internalDate, Optional<String> deliveryKey) throws IOException {
        return save.deliver(content, flags, internalDate, deliveryKey);
    }

    /** Stores a copy of another folder's message in {@code cur/} (a hard link when possible), with the given flags. */
    public IndexEntry copyIn(MaildirFolder source, long sourceUid, Flags flags) throws IOException {
        return save.copyIn(source, sourceUid, flags);
    }

    /** Moves another folder's message here by renaming its file; the source forgets the message. */
    public IndexEntry moveIn(MaildirFolder source, long sourceUid, Flags flags) throws IOException {
        return save.moveIn(source, sourceUid, flags);
    }

    /**
     * The message an earlier delivery with this key stored here, if it is still here. A key the
     * ledger does not know (nearly always) costs no wait for a batch being committed.
     */
    public Optional<IndexEntry> earlierDelivery(String key) throws IOException {
        return placed(ledger.baseFor(key));
    }

    /**
     * Whether the ledger knows the key, or keys of its older form for the same mail: false for
     * nearly every delivery, answered from memory once the ledger has been read, without a look
     * at the folder's directories.
     */
    public boolean ledgerMentions(String key) throws IOException {
        return ledger.baseFor(key).isPresent() || ledger.mayHoldOlderFormOf(key);
    }

    /**
     * Like {@link #earlierDelivery(String)}, also under the key's older form (its body digest as
     * versions before this one wrote it), which {@code olderKey} makes only when the ledger holds
     * such keys for the same mail, recipient and folder: a mail delivered before an upgrade and
     * handed out again after it.
     */
    public Optional<IndexEntry> earlierDelivery(String key, Supplier<String> olderKey) throws IOException {
        Optional<String> base = ledger.baseFor(key);
        if (base.isEmpty() && ledger.mayHoldOlderFormOf(key)) {
            try {
                base = ledger.baseFor(olderKey.get());
            } catch (UncheckedIOException unreadable) {
                throw unreadable.getCause();
            }
        }
        return placed(base);
    }

    private Optional<IndexEntry> placed(Optional<String> base) throws IOException {
        if (base.isEmpty()) {
            return Optional.empty();
        }
        synchronized (this) {
            ensureLoaded();
            sync();
            Long uid = index.uidOf(base.get());
            return uid == null ? Optional.empty() : Optional.ofNullable(index.get(uid));
        }
    }

    // ---- for FolderSave, under this folder's monitor ---------------------------------------

    DovecotKeywords keywordsRefreshed() throws IOException {
        ensureLoaded();
        keywords.refresh();
        return keywords;
    }

    DeliveryLedger ledger() {
        return ledger;
    }

    DovecotUidList uidList() {
        return uidList;
    }

    FolderIndex index() {
        return index;
    }

    FolderSync folderSync() {
        return folderSync;
    }

    /** How many times this folder's directories were listed, for tests. */
    synchronized long listings() {
        return folderSync.listings();
    }

    /** The message went to another folder: gone from here, like an expunge. */
    synchronized void movedAway(long uid) throws IOException {
        forget(uid);
        index.nextModSeq();
    }

    private void forget(long uid) {
        headerFields.forget(uid);
        if (index.forget(uid) != null) {
            folderSync.distrust();
        }
    }

    /** Applies {@code change} to the flags of the messages in the range, renaming their files. */
    public synchronized List<FlagChange> updateFlags(long fromUid, long toUid, UnaryOperator<Flags> change) throws IOException {
        ensureLoaded();
        sync();
        return flags.update(fromUid, toUid, change);
    }

    /**
     * A session takes the \Recent messages (a read-write SELECT): files in {@code new/} move to
     * {@code cur/}, and no message numbered so far is recent for anyone else.
     */
    public synchronized List<FlagChange> takeRecent() throws IOException {
        ensureLoaded();
        sync();
        return flags.takeRecent();
    }

    /**
     * Deletes the messages' files; returns what was deleted. Already-gone files count as deleted.
     * The directories a file was deleted from are fsync'd before this returns, but after the
     * folder's monitor is let go: the unlinks are done and the index knows, so the other sessions
     * of the folder need not wait for the disk (an fsync is milliseconds, and every EXPUNGE made
     * two under the monitor); a directory nothing was deleted from is not fsync'd.
     */
    public Map<Long, IndexEntry> expunge(Collection<Long> uids) throws IOException {
        boolean[] deletedFrom = new boolean[2];
        Map<Long, IndexEntry> deleted = expungeLocked(uids, deletedFrom);
        if (deletedFrom[0]) {
            durability.syncDirectory(directory.resolve("cur"));
        }
        if (deletedFrom[1]) {
            durability.syncDirectory(directory.resolve("new"));
        }
        return deleted;
    }

    /** {@code deletedFrom}: set to whether a file was deleted from cur/ [0] and from new/ [1]. */
    private synchronized Map<Long, IndexEntry> expungeLocked(Collection<Long> uids, boolean[] deletedFrom) throws IOException {
        ensureLoaded();
        Map<Long, IndexEntry> deleted = new LinkedHashMap<>();
        for (long uid : uids) {
            IndexEntry entry = index.get(uid);
            if (entry == null) {
                continue;
            }
            try {
                entry = onFileOf(uid, (current, file) -> {
                    Files.delete(file);
                    deletedFrom[current.inNew() ? 1 : 0] = true;
                    return current;
                });
            } catch (NoSuchFileException alreadyGone) {
                // deleted by someone else: as good as expunged
            }
            forget(uid);
            deleted.put(uid, entry);
        }
        if (!deleted.isEmpty()) {
            index.nextModSeq();
            maybeCompactUidList();
        }
        return deleted;
    }

    private void maybeCompactUidList() throws IOException {
        int stale = uidList.recordCount() - index.size();
        if (stale > 1000 && stale > index.size() / 4) {
            uidList.compact(index.bases());
        }
    }

    // ---- index maintenance ------------------------------------------------------------------

    private void ensureLoaded() throws IOException {
        lastUsed = System.currentTimeMillis();
        if (!loaded) {
            load();
        }
    }

    private void load() throws IOException {
        if (!looksLikeMaildir(directory)) {
            throw new NoSuchFileException(directory.toString(), null, "not a Maildir folder");
        }
        if (!uidList.exists()) {
            uidList.create(Instant.now().getEpochSecond());
        }
        uidList.refresh();
        index.load(uidList.uidValidity(), uidList.nextUid());
        loaded = true;
        folderSync.sync();
        index.reserveModSeqs();
    }

    /** Writes the index if it changed; {@code clean} at an orderly close. */
    public synchronized void flush(boolean clean) throws IOException {
        if (loaded) {
            index.flush(clean);
        }
    }

    /**
     * Brings the index in line with the directories and the uidlist: files someone else added get
     * the next UIDs, renamed files their new flags (and a new mod-sequence), vanished files are
     * dropped. Cheap when nothing changed: three stat calls.
     */
    public synchronized Changes sync() throws IOException {
        if (!loaded) {
            load();
            return Changes.NONE;
        }
        return folderSync.sync();
    }

    /**
     * Syncs for figures that may lag other programs by a second, such as the quota usage checked
     * before every delivery: a folder listed within the last second is not listed again, nor one
     * whose directories changed only by our own saves since (for at most
     * {@link FolderSync#OWN_CHANGES_RECHECK_MS}). Our own
     * saves are in the index already; without this, a delivery into a busy folder of 20,000
     * messages would list 20,000 files, since its directories' mtimes changed with the previous
     * delivery (and are too recent to be trusted). Never for what an IMAP session is shown.
     */
    public synchronized void syncForFigures() throws IOException {
        if (!loaded) {
            load();
            return;
        }
        folderSync.sync(FIGURES_MAY_LAG_MS, true);
    }

    /**
     * Syncs, then hands over everything other programs changed since the last call, for the
     * store to announce to IMAP sessions.
     */
    public synchronized List<Changes> drainOutsideChanges() throws IOException {
        ensureLoaded();
        return folderSync.drainOutsideChanges();
    }
}
