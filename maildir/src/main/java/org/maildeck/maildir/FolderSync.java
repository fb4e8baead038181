package org.maildeck.maildir;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.maildeck.maildir.MaildirFolder.Changes;
import org.maildeck.maildir.MaildirFolder.FlagChange;

/**
 * Reconciles a folder's {@link FolderIndex} with its directories and its uidlist, like Dovecot's
 * maildir-sync: a scan of {@code new/} and {@code cur/} only when their mtimes (or the uidlist)
 * changed since the last one. Not thread-safe: used under its {@link MaildirFolder}'s monitor.
 *
 * <h2>When an mtime is trusted</h2>
 * A directory's mtime tells that its entries changed, but only to the granularity of the file
 * system's clock: a rename in the same tick as the change before it leaves the mtime as it was.
 * So an unchanged mtime proves nothing was renamed since a listing only if that listing's stat
 * was made after the file system's clock had left the mtime's tick: every later change then gets
 * a later stamp. Such a listing is "settled", and its mtimes are trusted until they change.
 *
 * <p>When is the clock past the tick? The kernel stamps a change with its coarse clock (the
 * wall clock as of the last scheduler tick: at most 10 ms behind at HZ=100, the lowest in use),
 * cut to the file system's granularity (1 ns on ext4, XFS, Btrfs, tmpfs). So with an mtime that
 * has a sub-second part, on a local file system, a stat made {@link #FINE_TICK_MS} after the
 * mtime by our wall clock is past its tick. An mtime in whole seconds may come from a file system
 * that keeps only seconds, and a network file system stamps with its server's clock, which may
 * be off ours by up to a second (Dovecot's {@code MAILDIR_SYNC_SECS}): for those, a second, as
 * Dovecot waits.</p>
 *
 * <p>A listing made within the tick is not settled: another program may rename a file after our
 * stat in the same tick, hidden under the same mtime. Under a busy folder nearly every listing is
 * such (a change every few milliseconds), and listing it again at every sync was a third of the
 * server's CPU under imap-stress, while the mtimes had not moved at all between most of those
 * syncs. So an unchanged, unsettled mtime is trusted while the tick may still run, and the first
 * sync after it lists once more (and is settled, if nothing changed meanwhile). What is given up:
 * a change made in the same tick as the one before our listing (within 10 ms of it, by a program
 * that renamed in that very tick) shows at the first sync after the tick instead of at once.
 * Dovecot gives up more for the same cost: its maildir-sync.c trusts an unchanged (nanosecond)
 * mtime of such a "dirty" directory for a whole second after its last look
 * ({@code DIR_DELAYED_REFRESH}).</p>
 *
 * <h2>Our own changes</h2>
 * A busy folder is always dirty: each batch of our deliveries renames files into {@code new/}.
 * Yet the index knows those files already ({@link FolderSave} remembers them), so listing
 * {@code new/} again finds nothing new; the once-a-second look for other programs' changes did
 * just that, a listing a second that grows with the folder. Dovecot's own saves do not make it
 * rescan either. So {@link FolderSave} tells us, under the uidlist's dotlock, right before and
 * right after its renames: if {@code new/} and {@code cur/} still had the mtimes the index
 * reflects before the renames, the mtimes after them are ours, and are carried as known.
 * Any mtime we did not produce (another program renamed a file in another tick) makes the next
 * sync list at once, as before.
 *
 * <p>What this cannot see is another program's rename in the same tick as ours, or during our
 * renames (a Maildir writer that does not take the uidlist's dotlock: Dovecot's own saves take
 * it). The risk is bounded: carried mtimes are trusted only by the syncs that may lag, the
 * once-a-second announcement to IDLE sessions and the figures (quota), and only for
 * {@link #OWN_CHANGES_RECHECK_MS} after the last full scan; then the folder is listed again.
 * What an IMAP command shows never relies on them: {@link #sync()} trusts only mtimes a listing
 * saw, settled or within their tick.</p>
 */
final class FolderSync {

    /**
     * How long after an mtime with a sub-second part, on a local file system, the file system's
     * clock has surely left its tick: the coarse clock's lag (a scheduler tick, at most 10 ms)
     * with room to spare.
     */
    static final long FINE_TICK_MS = 50;

    /**
     * The same for an mtime in whole seconds (a file system that keeps only seconds) or on a file
     * system another machine stamps (clocks apart by up to a second, as Dovecot assumes).
     */
    static final long COARSE_TICK_MS = 1_000;

    /** File systems stamped by this machine's clock with sub-second mtimes. */
    private static final Set<String> LOCAL_FILE_SYSTEMS = Set.of(
        "ext2", "ext3", "ext4", "xfs", "btrfs", "tmpfs", "zfs", "f2fs", "bcachefs", "overlay");

    /**
     * How long mtimes carried over our own renames are trusted by the syncs that may lag, at
     * most: an outside change hidden in the same tick as ours is found within this. Dovecot's
     * IDLE, without inotify, looks for changes every {@code mailbox_idle_check_interval}, 30 s
     * by default: an IDLE client of Dovecot may wait that long for any change, ours wait that
     * long only for a change that raced our renames. Delivering without pause, this is one
     * listing per 30 s instead of one a second.
     */
    static final long OWN_CHANGES_RECHECK_MS = 30_000;

    private final Path directory;
    private final DovecotUidList uidList;
    private final DovecotKeywords keywords;
    private final FolderIndex index;
    private final Clock clock;
    /** The mtimes the index reflects, in nanoseconds, or -1 when the next sync must list. */
    private long knownNewMtime = -1;
    private long knownCurMtime = -1;
    /** Each directory's: listed after its mtime's tick had passed. */
    private boolean newSettled;
    private boolean curSettled;
    /** Whether the known mtimes are a listing's (false: carried over our own renames). */
    private boolean knownMtimesListed;
    /** Whether the folder is on a file system whose sub-second mtimes come from this machine's clock; null until looked at. */
    private Boolean localFileSystem;
    /** Since when the known mtimes are carried over our own renames; -1 when they are not. */
    private long carriedSince = -1;
    /** Of the renames {@link FolderSave} is making: when, whether the mtimes were known before, and after. */
    private long renamesStarted;
    private boolean renamesFromKnownMtimes;
    private long[] mtimesAfterRenames;
    private long lastScanStarted;
    private long listings;
    private final List<Changes> unreported = new ArrayList<>();

    FolderSync(Path directory, DovecotUidList uidList, DovecotKeywords keywords, FolderIndex index, Clock clock) {
        this.directory = directory;
        this.uidList = uidList;
        this.keywords = keywords;
        this.index = index;
        this.clock = clock;
    }

    /** We changed a directory: the next sync looks at it again. */
    void distrust() {
        mtimesAfterRenames = null;
        knownNewMtime = -1;
        knownCurMtime = -1;
        knownMtimesListed = false;
        carriedSince = -1;
    }

    /**
     * Under the uidlist's dotlock, before {@link FolderSave} renames files into {@code new/} or
     * {@code cur/}: notes whether the directories are still as the index knows them.
     */
    void ownRenamesStarting() throws IOException {
        renamesStarted = clock.millis();
        mtimesAfterRenames = null;
        renamesFromKnownMtimes = knownNewMtime >= 0 && mtime("new") == knownNewMtime && mtime("cur") == knownCurMtime;
    }

    /** Under the same dotlock, right after the renames: the mtimes they left are ours, if the ones before were known. */
    void ownRenamesDone() throws IOException {
        if (!renamesFromKnownMtimes) {
            distrust();
            return;
        }
        long newMtime = mtime("new");
        long curMtime = mtime("cur");
        if (newMtime != knownNewMtime || curMtime != knownCurMtime) {
            mtimesAfterRenames = new long[] {newMtime, curMtime};
        }
    }

    /** Once the index holds every renamed file: carries the mtimes noted by {@link #ownRenamesDone()}. */
    void ownRenamesIndexed() {
        if (mtimesAfterRenames == null) {
            return;
        }
        if (carriedSince < 0) {
            // An outside change may hide in the tick of an mtime not yet settled, from the scan that saw it on.
            carriedSince = knownMtimesSettled() ? renamesStarted : lastScanStarted;
        }
        knownNewMtime = mtimesAfterRenames[0];
        knownCurMtime = mtimesAfterRenames[1];
        knownMtimesListed = false;
        mtimesAfterRenames = null;
    }

    /**
     * The stamp of the directories and the uidlist the index reflects, when a sync would trust it
     * as it is (mtimes known and settled when listed, none carried over our own renames); empty
     * when the next sync looks again.
     */
    Optional<FolderStamp> trustedStamp() {
        FolderStamp.UidListFile list = uidList.lastRead();
        if (knownNewMtime < 0 || !knownMtimesSettled() || list == null) {
            return Optional.empty();
        }
        return Optional.of(new FolderStamp(knownNewMtime, knownCurMtime, list));
    }

    /** Whether the known mtimes are a listing's made after both their ticks had passed: trusted by every sync until they change. */
    private boolean knownMtimesSettled() {
        return knownMtimesListed && newSettled && curSettled;
    }

    /** How many times the directories were listed: a figure for tests and monitoring. */
    long listings() {
        return listings;
    }

    /**
     * Brings the index in line with the directories and the uidlist: files someone else added get
     * the next UIDs, renamed files their new flags (and a new mod-sequence), vanished files are
     * dropped. Cheap when nothing changed: three stat calls. Lists the directories when their
     * mtimes changed, or when the last listing was made within their tick and the tick is over
     * (see the class comment).
     */
    Changes sync() throws IOException {
        return sync(0, false);
    }

    /**
     * Like {@link #sync()}, for what may lag other programs' changes: a folder listed less than
     * {@code scannedWithinMillis} ago is not listed again, even if its directories changed since;
     * with {@code trustOwnChanges}, mtimes carried over our own renames are trusted for
     * {@link #OWN_CHANGES_RECHECK_MS} after the last listing.
     */
    Changes sync(long scannedWithinMillis, boolean trustOwnChanges) throws IOException {
        List<IndexEntry> renumbered = List.of();
        if (!uidList.exists()) {
            // Deleted by someone: like Dovecot, start a new list; every message gets a new UID.
            uidList.create(Math.max(Instant.now().getEpochSecond(), index.uidValidity() + 1));
        }
        boolean uidListChanged = uidList.refresh();
        // Keywords another program added must be known before its file names are read.
        keywords.refresh();
        if (uidList.uidValidity() != index.uidValidity()) {
            // A new UIDVALIDITY (Dovecot rebuilt the list): the old UIDs mean nothing any more.
            renumbered = index.renumber(uidList.uidValidity());
            distrust();
        }
        // Read before the stats: a tick over by this time was over when they were made.
        long now = clock.millis();
        long newMtime = mtime("new");
        long curMtime = mtime("cur");
        if (!uidListChanged && newMtime == knownNewMtime && curMtime == knownCurMtime
            && (knownMtimesListed && (newSettled || !tickOver(newMtime, now)) && (curSettled || !tickOver(curMtime, now))
                || trustOwnChanges && carriedSince >= 0 && now - carriedSince < OWN_CHANGES_RECHECK_MS)) {
            return Changes.NONE;
        }
        long scanStarted = now;
        if (!uidListChanged && renumbered.isEmpty() && scanStarted - lastScanStarted < scannedWithinMillis) {
            return Changes.NONE;
        }
        lastScanStarted = scanStarted;
        carriedSince = -1;
        Listing listing = listFiles();
        Map<String, Listed> listed = listing.changed();
        Set<Long> seen = new HashSet<>(listing.unchanged());
        List<IndexEntry> added = new ArrayList<>();
        List<FlagChange> flagChanges = new ArrayList<>();
        List<String> unnumbered = new ArrayList<>();
        long modSeq = -1;
        for (Listed file : listed.values()) {
            Long uid = index.uidOf(file.base());
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
            IndexEntry known = index.get(uid);
            if (known == null) {
                IndexEntry entry = describe(uid, file, 0);
                if (entry != null) {
                    if (modSeq < 0) {
                        modSeq = index.nextModSeq();
                    }
                    entry = entry.withModSeq(modSeq);
                    index.remember(entry);
                    added.add(entry);
                }
            } else if (!known.fileName().equals(file.fileName()) || known.inNew() != file.inNew()) {
                boolean flagsDiffer = !known.letters().equals(file.letters());
                if (flagsDiffer && modSeq < 0) {
                    modSeq = index.nextModSeq();
                }
                IndexEntry updated = known.movedTo(file.fileName(), file.inNew(), flagsDiffer ? modSeq : known.modSeq());
                index.remember(updated);
                if (flagsDiffer) {
                    flagChanges.add(new FlagChange(known, updated));
                }
            }
        }
        if (!unnumbered.isEmpty()) {
            unnumbered.sort(null);
            Map<String, Long> assigned = uidList.assign(unnumbered);
            if (modSeq < 0) {
                modSeq = index.nextModSeq();
            }
            for (Map.Entry<String, Long> numbered : assigned.entrySet()) {
                Listed file = listed.get(numbered.getKey());
                IndexEntry entry = describe(numbered.getValue(), file, modSeq);
                if (entry != null) {
                    index.remember(entry);
                    added.add(entry);
                    seen.add(entry.uid());
                }
            }
        }
        List<IndexEntry> expunged = new ArrayList<>(renumbered);
        if (seen.size() < index.size()) {
            // A file renamed while we listed may be missing from both listings: look again before
            // telling anyone a message is gone.
            Listing again = listFiles();
            for (IndexEntry entry : index.all()) {
                if (seen.contains(entry.uid()) || again.unchanged().contains(entry.uid())) {
                    continue;
                }
                Listed still = again.changed().get(entry.base());
                if (still != null) {
                    index.remember(entry.movedTo(still.fileName(), still.inNew(), entry.modSeq()));
                    continue;
                }
                index.forget(entry.uid());
                expunged.add(entry);
            }
            if (!expunged.isEmpty()) {
                index.nextModSeq();
            }
        }
        knownNewMtime = newMtime;
        knownCurMtime = curMtime;
        newSettled = tickOver(newMtime, scanStarted);
        curSettled = tickOver(curMtime, scanStarted);
        knownMtimesListed = true;
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
    List<Changes> drainOutsideChanges() throws IOException {
        sync(0, true);
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

    /** A listed file, its name parsed once. */
    private record Listed(String fileName, boolean inNew, String base, String letters) {
        static Listed of(String fileName, boolean inNew) {
            MaildirFileName name = MaildirFileName.parse(fileName);
            return new Listed(fileName, inNew, name.base(), name.flagLetters().orElse(""));
        }
    }

    /**
     * What a listing found: the UIDs of the files the index holds under the very name and
     * directory they have now, and every other file by base name (new, renamed, moved).
     */
    private record Listing(Set<Long> unchanged, Map<String, Listed> changed) {
    }

    /**
     * {@code new/} first, then {@code cur/}: a file moved from one to the other meanwhile shows up
     * at least once. Why the split: a busy folder is listed at nearly every command (its mtimes
     * are never old enough to trust), and most of its files are as the index left them; one
     * lookup of the name answers for those, without parsing it or building a record.
     */
    private Listing listFiles() throws IOException {
        listings++;
        Set<Long> unchanged = new HashSet<>(Math.max(16, index.size() * 4 / 3 + 1));
        Map<String, Listed> changed = new HashMap<>();
        for (String sub : List.of("new", "cur")) {
            boolean inNew = sub.equals("new");
            for (String fileName : namesIn(directory.resolve(sub))) {
                if (fileName.startsWith(".")) {
                    continue;
                }
                IndexEntry known = index.unchanged(fileName, inNew);
                if (known != null) {
                    unchanged.add(known.uid());
                    continue;
                }
                Listed file = Listed.of(fileName, inNew);
                changed.put(file.base(), file);
            }
        }
        return new Listing(unchanged, changed);
    }

    /**
     * The names in a directory. {@code File.list()} hands over the names as strings straight from
     * readdir, where NIO's directory stream makes two {@code Path} objects per entry and decodes
     * each name from them: at a listing per command, the stream's objects were a sixth of a busy
     * folder's sync. {@code File.list()} says nothing of a failure, so then NIO lists, and throws
     * what went wrong ({@code NoSuchFileException} for a folder deleted meanwhile).
     */
    private static String[] namesIn(Path directory) throws IOException {
        String[] names = directory.toFile().list();
        if (names != null) {
            return names;
        }
        List<String> listed = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path path : entries) {
                listed.add(path.getFileName().toString());
            }
        }
        return listed.toArray(String[]::new);
    }

    /** In nanoseconds: two changes in one millisecond have different mtimes on ext4. */
    private long mtime(String sub) throws IOException {
        return Files.getLastModifiedTime(directory.resolve(sub), LinkOption.NOFOLLOW_LINKS).to(TimeUnit.NANOSECONDS);
    }

    /**
     * Whether the file system's clock has surely left the tick of {@code mtime} (nanoseconds) at
     * {@code millis} by our wall clock: a change from then on gets another mtime.
     */
    private boolean tickOver(long mtime, long millis) {
        boolean fine = mtime % 1_000_000_000L != 0 && onLocalFileSystem();
        long tick = fine ? FINE_TICK_MS : COARSE_TICK_MS;
        return Math.floorDiv(mtime, 1_000_000L) + tick < millis;
    }

    private boolean onLocalFileSystem() {
        if (localFileSystem == null) {
            localFileSystem = fileSystemType(directory).map(LOCAL_FILE_SYSTEMS::contains).orElse(false);
        }
        return localFileSystem;
    }

    /**
     * The type of the file system {@code directory} is on, when the JDK can find its mount: it
     * cannot in a chroot that sees the host's /proc/mounts (the package tests' root, a rescue
     * shell), where it throws "Mount point not found". Unknown is treated as coarse, a second.
     */
    private static Optional<String> fileSystemType(Path directory) {
        try {
            return Optional.of(Files.getFileStore(directory).type());
        } catch (IOException mountNotFound) {
            return Optional.empty();
        }
    }
}
