package org.maildeck.maildir;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

import javax.mail.Flags;

/**
 * One Maildir++ folder: {@code cur/ new/ tmp/} plus Dovecot's {@code dovecot-uidlist} and
 * {@code dovecot-keywords}, and our {@code maildeck.index}.
 *
 * <p>The file names and the uidlist are the truth; the index caches them (uid, file name, flags,
 * sizes, internal date) and adds mod-sequences. {@link #sync()} reconciles the cache with the
 * directories when their mtimes changed, so repeated reads of an unchanged folder touch no file.
 * The index is guarded by this object's monitor: one thread at a time changes a folder in this
 * process, and the uidlist/keywords dotlocks order us with other processes. Saving (deliveries,
 * APPEND, COPY, MOVE) is {@link FolderSave}'s, which writes files in parallel and puts them
 * into place in batches.</p>
 */
public final class MaildirFolder {

    /** Mod-sequences handed out between two durable index writes, at most. */
    private static final long MODSEQ_RESERVATION = 10_000;
    /** A directory changed this recently may change again within its mtime's granularity. */
    private static final long MTIME_TRUST_DELAY_MS = 1_000;

    private final Path directory;
    private final String host;
    private final Durability durability;
    private final DovecotUidList uidList;
    private final DovecotKeywords keywords;
    private final DeliveryLedger ledger;
    private final FolderSave save;

    private final TreeMap<Long, IndexEntry> byUid = new TreeMap<>();
    private final Map<String, Long> uidByBase = new HashMap<>();
    private long highestModSeq;
    private long modSeqCeiling;
    /** Volatile, like {@link #messagesInMemory}: the monitoring reads both without the folder's lock. */
    private volatile boolean loaded;
    /**
     * {@code byUid.size()}, readable without waiting for a folder busy with a long operation (a
     * dotlock wait can take minutes).
     */
    private volatile int messagesInMemory;
    private boolean dirty;
    /**
     * Messages from this UID on are \Recent, like Dovecot's first-recent UID: a message appended
     * with flags is stored in cur/ yet is recent. Files in new/ are recent whatever their UID.
     */
    private long firstRecentUid = 1;
    /** Sum of the messages' sizes (CRLF size where known), kept up to date for quota checks. */
    private long totalBytes;
    /** The UIDVALIDITY the index's UIDs belong to. */
    private long indexedUidValidity;
    private long trustedNewMtime = -1;
    private long trustedCurMtime = -1;
    private volatile long lastUsed = System.currentTimeMillis();
    private final List<Changes> unreported = new ArrayList<>();

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
        this.directory = directory;
        this.host = host;
        this.durability = durability;
        this.uidList = new DovecotUidList(directory, durability);
        this.keywords = new DovecotKeywords(directory, durability);
        this.ledger = new DeliveryLedger(directory, durability);
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
        return messagesInMemory;
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

    /** UIDVALIDITY and GUID, cheaply: from the uidlist header when this folder is not loaded yet. */
    public synchronized DovecotUidList.Identity identity() throws IOException {
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
        return highestModSeq;
    }

    public synchronized List<IndexEntry> entries(long fromUid, long toUid) throws IOException {
        ensureLoaded();
        if (fromUid > toUid) {
            return List.of();
        }
        return List.copyOf(byUid.subMap(fromUid, true, toUid, true).values());
    }

    public synchronized Optional<IndexEntry> entry(long uid) throws IOException {
        ensureLoaded();
        return Optional.ofNullable(byUid.get(uid));
    }

    public synchronized int count() throws IOException {
        ensureLoaded();
        return byUid.size();
    }

    public synchronized long totalSize() throws IOException {
        ensureLoaded();
        return totalBytes;
    }

    private static long sizeOf(IndexEntry entry) {
        return entry == null ? 0 : entry.virtualSize() >= 0 ? entry.virtualSize() : entry.size();
    }

    public synchronized Flags flagsOf(IndexEntry entry) throws IOException {
        ensureLoaded();
        Flags flags = MaildirFlags.toFlags(entry.letters(), keywords);
        if (isRecent(entry)) {
            flags.add(Flags.Flag.RECENT);
        }
        return flags;
    }

    public synchronized boolean isRecent(IndexEntry entry) {
        return entry.inNew() || entry.uid() >= firstRecentUid;
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
        IndexEntry entry = byUid.get(uid);
        if (entry == null) {
            throw expunged(uid);
        }
        try {
            return action.apply(entry, directory.resolve(entry.relativePath()));
        } catch (NoSuchFileException renamedMeanwhile) {
            sync();
            IndexEntry current = byUid.get(uid);
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
            InputStream buffered = new BufferedInputStream(Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS), 1 << 16);
            return entry.virtualSize() == entry.size() ? buffered : new CrlfInputStream(buffered);
        });
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
            IndexEntry current = byUid.get(uid);
            if (current != null) {
                remember(current.withVirtualSize(computed));
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
        Optional<String> base = ledger.baseFor(key);
        if (base.isEmpty()) {
            return Optional.empty();
        }
        synchronized (this) {
            ensureLoaded();
            sync();
            Long uid = uidByBase.get(base.get());
            return uid == null ? Optional.empty() : Optional.ofNullable(byUid.get(uid));
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

    /** The message went to another folder: gone from here, like an expunge. */
    synchronized void movedAway(long uid) throws IOException {
        forget(uid);
        nextModSeq();
    }

    private synchronized void forget(long uid) throws IOException {
        IndexEntry removed = byUid.remove(uid);
        messagesInMemory = byUid.size();
        if (removed != null) {
            totalBytes -= sizeOf(removed);
            uidByBase.remove(removed.base());
            dirty = true;
            trustedCurMtime = -1;
            trustedNewMtime = -1;
        }
    }

    /** Applies {@code change} to the flags of the messages in the range, renaming their files. */
    public synchronized List<FlagChange> updateFlags(long fromUid, long toUid, UnaryOperator<Flags> change) throws IOException {
        ensureLoaded();
        sync();
        keywords.refresh();
        List<FlagChange> changes = new ArrayList<>();
        uidList.underLock(() -> renameForFlags(fromUid, toUid, change, changes));
        return changes;
    }

    private void renameForFlags(long fromUid, long toUid, UnaryOperator<Flags> change, List<FlagChange> changes) throws IOException {
        long modSeq = -1;
        for (IndexEntry entry : List.copyOf(byUid.subMap(fromUid, true, toUid, true).values())) {
            Flags before = MaildirFlags.toFlags(entry.letters(), keywords);
            Flags after = change.apply(new Flags(before));
            after.remove(Flags.Flag.RECENT);
            if (before.equals(after)) {
                changes.add(new FlagChange(entry, entry));
                continue;
            }
            keywords.ensure(MaildirFlags.userFlags(after));
            String letters = MaildirFlags.toLetters(after, entry.letters(), keywords);
            if (modSeq < 0) {
                modSeq = nextModSeq();
            }
            IndexEntry renamed = renameTo(entry, letters, entry.inNew(), modSeq);
            changes.add(new FlagChange(entry, renamed));
        }
    }

    /**
     * A session takes the \Recent messages (a read-write SELECT): files in {@code new/} move to
     * {@code cur/}, and no message numbered so far is recent for anyone else.
     */
    public synchronized List<FlagChange> takeRecent() throws IOException {
        ensureLoaded();
        sync();
        List<FlagChange> changes = new ArrayList<>();
        List<IndexEntry> recent = byUid.values().stream().filter(this::isRecent).toList();
        if (recent.isEmpty()) {
            return changes;
        }
        uidList.underLock(() -> {
            for (IndexEntry entry : recent) {
                IndexEntry taken = entry.inNew() ? renameTo(entry, entry.letters(), false, entry.modSeq()) : entry;
                changes.add(new FlagChange(entry, taken));
            }
        });
        firstRecentUid = uidList.nextUid();
        dirty = true;
        return changes;
    }

    private IndexEntry renameTo(IndexEntry entry, String letters, boolean inNew, long modSeq) throws IOException {
        String newName = new MaildirFileName(entry.base(), Optional.of(letters)).fileName();
        boolean toNew = inNew && letters.isEmpty();
        Path to = directory.resolve(toNew ? "new" : "cur").resolve(toNew ? entry.base() : newName);
        onFileOf(entry.uid(), (current, from) -> Files.move(from, to, StandardCopyOption.ATOMIC_MOVE));
        IndexEntry renamed = entry.movedTo(to.getFileName().toString(), toNew, modSeq);
        remember(renamed);
        trustedCurMtime = -1;
        trustedNewMtime = -1;
        return renamed;
    }

    /** Deletes the messages' files; returns what was deleted. Already-gone files count as deleted. */
    public synchronized Map<Long, IndexEntry> expunge(Collection<Long> uids) throws IOException {
        ensureLoaded();
        Map<Long, IndexEntry> deleted = new LinkedHashMap<>();
        for (long uid : uids) {
            IndexEntry entry = byUid.get(uid);
            if (entry == null) {
                continue;
            }
            try {
                entry = onFileOf(uid, (current, file) -> {
                    Files.delete(file);
                    return current;
                });
            } catch (NoSuchFileException alreadyGone) {
                // deleted by someone else: as good as expunged
            }
            forget(uid);
            deleted.put(uid, entry);
        }
        if (!deleted.isEmpty()) {
            durability.syncDirectory(directory.resolve("cur"));
            durability.syncDirectory(directory.resolve("new"));
            nextModSeq();
            maybeCompactUidList();
        }
        return deleted;
    }

    private void maybeCompactUidList() throws IOException {
        int stale = uidList.recordCount() - byUid.size();
        if (stale > 1000 && stale > byUid.size() / 4) {
            uidList.compact(uidByBase.keySet());
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
        indexedUidValidity = uidList.uidValidity();
        Optional<FolderIndexFile.Content> stored = FolderIndexFile.read(directory);
        // A mod-sequence is 1 or more (RFC 7162); the first change gets 2.
        highestModSeq = 1;
        // Without an index, what is in cur/ has been seen by someone: only new/ is recent.
        firstRecentUid = uidList.nextUid();
        if (stored.isPresent() && stored.get().uidValidity() == uidList.uidValidity()) {
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
        loaded = true;
        sync();
        persist(false, highestModSeq + MODSEQ_RESERVATION);
    }

    void remember(IndexEntry entry) {
        IndexEntry previous = byUid.put(entry.uid(), entry);
        messagesInMemory = byUid.size();
        totalBytes += sizeOf(entry) - sizeOf(previous);
        if (previous != null && !previous.base().equals(entry.base())) {
            uidByBase.remove(previous.base());
        }
        uidByBase.put(entry.base(), entry.uid());
        highestModSeq = Math.max(highestModSeq, entry.modSeq());
        dirty = true;
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

    private void persist(boolean clean, long ceiling) throws IOException {
        modSeqCeiling = ceiling;
        FolderIndexFile.write(directory, new FolderIndexFile.Content(uidList.uidValidity(), clean, modSeqCeiling,
            highestModSeq, firstRecentUid, List.copyOf(byUid.values())), durability);
        dirty = false;
    }

    /** Writes the index if it changed; {@code clean} at an orderly close. */
    public synchronized void flush(boolean clean) throws IOException {
        if (loaded && (dirty || clean)) {
            persist(clean, clean ? highestModSeq : modSeqCeiling);
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
        List<IndexEntry> renumbered = List.of();
        if (!uidList.exists()) {
            // Deleted by someone: like Dovecot, start a new list; every message gets a new UID.
            uidList.create(Math.max(Instant.now().getEpochSecond(), indexedUidValidity + 1));
        }
        boolean uidListChanged = uidList.refresh();
        // Keywords another program added must be known before its file names are read.
        keywords.refresh();
        if (uidList.uidValidity() != indexedUidValidity) {
            // A new UIDVALIDITY (Dovecot rebuilt the list): the old UIDs mean nothing any more.
            renumbered = List.copyOf(byUid.values());
            byUid.clear();
            messagesInMemory = 0;
            uidByBase.clear();
            totalBytes = 0;
            indexedUidValidity = uidList.uidValidity();
            trustedNewMtime = -1;
            trustedCurMtime = -1;
        }
        long newMtime = mtime("new");
        long curMtime = mtime("cur");
        if (!uidListChanged && newMtime == trustedNewMtime && curMtime == trustedCurMtime) {
            return Changes.NONE;
        }
        long scanStarted = System.currentTimeMillis();
        Map<String, Listed> listed = listFiles();
        Set<Long> seen = new HashSet<>();
        List<IndexEntry> added = new ArrayList<>();
        List<FlagChange> flagChanges = new ArrayList<>();
        List<String> unnumbered = new ArrayList<>();
        long modSeq = -1;
        for (Listed file : listed.values()) {
            Long uid = uidByBase.get(file.base());
            if (uid == null) {
                uid = uidList.uidOf(file.base()).isPresent() ? uidList.uidOf(file.base()).getAsLong() : null;
            }
            if (uid == null) {
                // Only regular files get a UID: a symlink or a directory someone left here is no message.
                Path path = directory.resolve(file.inNew() ? "new" : "cur").resolve(file.fileName());
                if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
                    unnumbered.add(file.base());
                }
                continue;
            }
            seen.add(uid);
            IndexEntry known = byUid.get(uid);
            if (known == null) {
                IndexEntry entry = describe(uid, file, 0);
                if (entry != null) {
                    if (modSeq < 0) {
                        modSeq = nextModSeq();
                    }
                    entry = entry.withModSeq(modSeq);
                    remember(entry);
                    added.add(entry);
                }
            } else if (!known.fileName().equals(file.fileName()) || known.inNew() != file.inNew()) {
                boolean flagsDiffer = !known.letters().equals(file.letters());
                if (flagsDiffer && modSeq < 0) {
                    modSeq = nextModSeq();
                }
                IndexEntry updated = known.movedTo(file.fileName(), file.inNew(), flagsDiffer ? modSeq : known.modSeq());
                remember(updated);
                if (flagsDiffer) {
                    flagChanges.add(new FlagChange(known, updated));
                }
            }
        }
        if (!unnumbered.isEmpty()) {
            unnumbered.sort(null);
            Map<String, Long> assigned = uidList.assign(unnumbered);
            if (modSeq < 0) {
                modSeq = nextModSeq();
            }
            for (Map.Entry<String, Long> numbered : assigned.entrySet()) {
                Listed file = listed.get(numbered.getKey());
                IndexEntry entry = describe(numbered.getValue(), file, modSeq);
                if (entry != null) {
                    remember(entry);
                    added.add(entry);
                    seen.add(entry.uid());
                }
            }
        }
        List<IndexEntry> expunged = new ArrayList<>(renumbered);
        if (seen.size() < byUid.size()) {
            // A file renamed while we listed may be missing from both listings: look again before
            // telling anyone a message is gone.
            Map<String, Listed> again = listFiles();
            for (IndexEntry entry : List.copyOf(byUid.values())) {
                if (seen.contains(entry.uid())) {
                    continue;
                }
                Listed still = again.get(entry.base());
                if (still != null) {
                    remember(entry.movedTo(still.fileName(), still.inNew(), entry.modSeq()));
                    continue;
                }
                byUid.remove(entry.uid());
                messagesInMemory = byUid.size();
                uidByBase.remove(entry.base());
                totalBytes -= sizeOf(entry);
                expunged.add(entry);
                dirty = true;
            }
            if (!expunged.isEmpty()) {
                nextModSeq();
            }
        }
        trustedNewMtime = newMtime < scanStarted - MTIME_TRUST_DELAY_MS ? newMtime : -1;
        trustedCurMtime = curMtime < scanStarted - MTIME_TRUST_DELAY_MS ? curMtime : -1;
        Changes changes = new Changes(added, expunged, flagChanges);
        if (!changes.isEmpty()) {
            unreported.add(changes);
        }
        return changes;
    }

    /**
     * Syncs, then hands over everything other programs changed since the last call, for the
     * store to announce to IMAP sessions.
     */
    public synchronized List<Changes> drainOutsideChanges() throws IOException {
        sync();
        List<Changes> drained = List.copyOf(unreported);
        unreported.clear();
        return drained;
    }

    private IndexEntry describe(long uid, Listed file, long modSeq) throws IOException {
        BasicFileAttributes attributes;
        Path path = directory.resolve(file.inNew() ? "new" : "cur").resolve(file.fileName());
        try {
            attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException goneMeanwhile) {
            return null;
        }
        if (!attributes.isRegularFile()) {
            return null;
        }
        MaildirFileName name = MaildirFileName.parse(file.fileName());
        return new IndexEntry(uid, file.fileName(), file.inNew(), name.size().orElse(attributes.size()),
            name.virtualSize().orElse(-1), attributes.lastModifiedTime().toMillis(), modSeq);
    }

    private record Listed(String fileName, boolean inNew) {
        String base() {
            return MaildirFileName.parse(fileName).base();
        }

        String letters() {
            return MaildirFileName.parse(fileName).flagLetters().orElse("");
        }
    }

    /** {@code new/} first, then {@code cur/}: a file moved from one to the other meanwhile shows up at least once. */
    private Map<String, Listed> listFiles() throws IOException {
        Map<String, Listed> files = new HashMap<>();
        for (String sub : List.of("new", "cur")) {
            boolean inNew = sub.equals("new");
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory.resolve(sub))) {
                for (Path path : entries) {
                    String fileName = path.getFileName().toString();
                    if (fileName.startsWith(".")) {
                        continue;
                    }
                    Listed file = new Listed(fileName, inNew);
                    files.put(file.base(), file);
                }
            }
        }
        return files;
    }

    private long mtime(String sub) throws IOException {
        return Files.getLastModifiedTime(directory.resolve(sub), LinkOption.NOFOLLOW_LINKS).toMillis();
    }
}
