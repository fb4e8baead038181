package org.maildeck.maildir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

import javax.mail.Flags;

import org.maildeck.maildir.MaildirFolder.FlagChange;

/**
 * Flags and \Recent, like Dovecot's maildir-sync-index and keywords: a message's flags are the
 * letters of its file name ({@code :2,<letters>}), changed by renaming the file under the
 * uidlist's dotlock; \Recent is {@code new/} plus the UIDs from the index's first recent one.
 * Not thread-safe: used under its {@link MaildirFolder}'s monitor.
 */
final class FolderFlags {

    private final MaildirFolder folder;
    private final Path directory;
    private final DovecotUidList uidList;
    private final DovecotKeywords keywords;
    private final FolderIndex index;
    private final FolderSync sync;

    FolderFlags(MaildirFolder folder, DovecotUidList uidList, DovecotKeywords keywords, FolderIndex index, FolderSync sync) {
        this.folder = folder;
        this.directory = folder.directory();
        this.uidList = uidList;
        this.keywords = keywords;
        this.index = index;
        this.sync = sync;
    }

    Flags flagsOf(IndexEntry entry) {
        Flags flags = MaildirFlags.toFlags(entry.letters(), keywords);
        if (index.isRecent(entry)) {
            flags.add(Flags.Flag.RECENT);
        }
        return flags;
    }

    /** Applies {@code change} to the flags of the messages in the range, renaming their files. */
    List<FlagChange> update(long fromUid, long toUid, UnaryOperator<Flags> change) throws IOException {
        keywords.refresh();
        List<FlagChange> changes = new ArrayList<>();
        uidList.underLock(() -> {
            long modSeq = -1;
            for (IndexEntry entry : index.range(fromUid, toUid)) {
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
                    modSeq = index.nextModSeq();
                }
                changes.add(new FlagChange(entry, renameTo(entry, letters, entry.inNew(), modSeq)));
            }
        });
        return changes;
    }

    /**
     * A session takes the \Recent messages (a read-write SELECT): files in {@code new/} move to
     * {@code cur/}, and no message numbered so far is recent for anyone else.
     */
    List<FlagChange> takeRecent() throws IOException {
        List<FlagChange> changes = new ArrayList<>();
        List<IndexEntry> recent = index.all().stream().filter(index::isRecent).toList();
        if (recent.isEmpty()) {
            return changes;
        }
        uidList.underLock(() -> {
            for (IndexEntry entry : recent) {
                IndexEntry taken = entry.inNew() ? renameTo(entry, entry.letters(), false, entry.modSeq()) : entry;
                changes.add(new FlagChange(entry, taken));
            }
        });
        index.recentFrom(uidList.nextUid());
        return changes;
    }

    private IndexEntry renameTo(IndexEntry entry, String letters, boolean inNew, long modSeq) throws IOException {
        String newName = new MaildirFileName(entry.base(), Optional.of(letters)).fileName();
        boolean toNew = inNew && letters.isEmpty();
        Path to = directory.resolve(toNew ? "new" : "cur").resolve(toNew ? entry.base() : newName);
        folder.onFileOf(entry.uid(), (current, from) -> Files.move(from, to, StandardCopyOption.ATOMIC_MOVE));
        IndexEntry renamed = entry.movedTo(to.getFileName().toString(), toNew, modSeq);
        index.remember(renamed);
        sync.distrust();
        return renamed;
    }
}
