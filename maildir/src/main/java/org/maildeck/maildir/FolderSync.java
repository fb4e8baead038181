package org.maildeck.maildir;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.maildeck.maildir.MaildirFolder.Changes;
import org.maildeck.maildir.MaildirFolder.FlagChange;

/**
 * Reconciles a folder's {@link FolderIndex} with its directories and its uidlist, like Dovecot's
 * maildir-sync: a scan of {@code new/} and {@code cur/} only when their mtimes (or the uidlist)
 * changed since the last one. Not thread-safe: used under its {@link MaildirFolder}'s monitor.
 */
final class FolderSync {

    /** A directory changed this recently may change again within its mtime's granularity. */
    private static final long MTIME_TRUST_DELAY_MS = 1_000;

    private final Path directory;
    private final DovecotUidList uidList;
    private final DovecotKeywords keywords;
    private final FolderIndex index;
    private long trustedNewMtime = -1;
    private long trustedCurMtime = -1;
    private long lastScanStarted;
    private final List<Changes> unreported = new ArrayList<>();

    FolderSync(Path directory, DovecotUidList uidList, DovecotKeywords keywords, FolderIndex index) {
        this.directory = directory;
        this.uidList = uidList;
        this.keywords = keywords;
        this.index = index;
    }

    /** We changed a directory: the next sync looks at it again. */
    void distrust() {
        trustedNewMtime = -1;
        trustedCurMtime = -1;
    }

    /**
     * Brings the index in line with the directories and the uidlist: files someone else added get
     * the next UIDs, renamed files their new flags (and a new mod-sequence), vanished files are
     * dropped. Cheap when nothing changed: three stat calls.
     */
    Changes sync() throws IOException {
        return sync(0);
    }

    /**
     * Like {@link #sync()}, but a folder listed less than {@code scannedWithinMillis} ago is not
     * listed again, even if its directories changed since.
     */
    Changes sync(long scannedWithinMillis) throws IOException {
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
        long newMtime = mtime("new");
        long curMtime = mtime("cur");
        if (!uidListChanged && newMtime == trustedNewMtime && curMtime == trustedCurMtime) {
            return Changes.NONE;
        }
        long scanStarted = System.currentTimeMillis();
        if (!uidListChanged && renumbered.isEmpty() && scanStarted - lastScanStarted < scannedWithinMillis) {
            return Changes.NONE;
        }
        lastScanStarted = scanStarted;
        Map<String, Listed> listed = listFiles();
        Set<Long> seen = new HashSet<>();
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
            Map<String, Listed> again = listFiles();
            for (IndexEntry entry : index.all()) {
                if (seen.contains(entry.uid())) {
                    continue;
                }
                Listed still = again.get(entry.base());
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
    List<Changes> drainOutsideChanges() throws IOException {
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
