package org.maildeck.maildir;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.maildeck.durability.Durability;

/**
 * {@code maildeck.index}, the folder's index on disk: a cache of what the file names and the
 * uidlist say, plus the one thing only we keep, mod-sequences. Written whole (temp file, fsync,
 * rename). {@code clean} is true only when written at an orderly close; {@code modSeqCeiling}
 * bounds every mod-sequence handed out since, so after a crash new ones start above it.
 */
final class FolderIndexFile {

    static final String FILE_NAME = "maildeck.index";
    private static final int MAGIC = 0x4d444958; // "MDIX"
    private static final int VERSION = 2;

    /** {@code firstRecentUid}: messages from this UID on are \Recent (until a session takes them). */
    record Content(long uidValidity, boolean clean, long modSeqCeiling, long highestModSeq, long firstRecentUid,
                   List<IndexEntry> entries) {
    }

    private FolderIndexFile() {
    }

    static Optional<Content> read(Path folderDirectory) {
        Path file = folderDirectory.resolve(FILE_NAME);
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            if (in.readInt() != MAGIC || in.readInt() != VERSION) {
                return Optional.empty();
            }
            long uidValidity = in.readLong();
            boolean clean = in.readBoolean();
            long ceiling = in.readLong();
            long highest = in.readLong();
            long firstRecentUid = in.readLong();
            int count = in.readInt();
            List<IndexEntry> entries = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                entries.add(new IndexEntry(in.readLong(), in.readUTF(), in.readBoolean(), in.readLong(), in.readLong(),
                    in.readLong(), in.readLong()));
            }
            return Optional.of(new Content(uidValidity, clean, ceiling, highest, firstRecentUid, entries));
        } catch (NoSuchFileException missing) {
            return Optional.empty();
        } catch (IOException | RuntimeException unreadable) {
            // A damaged cache is rebuilt from the file names and the uidlist.
            return Optional.empty();
        }
    }

    static void write(Path folderDirectory, Content content, Durability durability) throws IOException {
        Path target = folderDirectory.resolve(FILE_NAME);
        Path temporary = folderDirectory.resolve(FILE_NAME + ".tmp");
        try (OutputStream raw = Files.newOutputStream(temporary);
             DataOutputStream out = new DataOutputStream(new BufferedOutputStream(raw, 1 << 16))) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeLong(content.uidValidity());
            out.writeBoolean(content.clean());
            out.writeLong(content.modSeqCeiling());
            out.writeLong(content.highestModSeq());
            out.writeLong(content.firstRecentUid());
            out.writeInt(content.entries().size());
            for (IndexEntry entry : content.entries()) {
                out.writeLong(entry.uid());
                out.writeUTF(entry.fileName());
                out.writeBoolean(entry.inNew());
                out.writeLong(entry.size());
                out.writeLong(entry.virtualSize());
                out.writeLong(entry.internalDate());
                out.writeLong(entry.modSeq());
            }
        }
        durability.syncFile(temporary);
        durability.durableRename(temporary, target);
    }
}
