package org.maildeck.durability;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

/**
 * The two system calls that make a file change survive a crash: fsync of a file's data and
 * fsync of the directory that names it (rename and unlink only become durable with the latter),
 * and the one way Maildeck writes a whole file with them ({@link #writeAtomically}). Every fsync
 * of the Maildir store goes through here, so that its {@link FsyncListener} sees them all.
 */
public final class Durability {

    /** For files written outside the Maildir store (quarantine, dead letters, tests), where nobody times the fsyncs. */
    public static final Durability UNWATCHED = new Durability(FsyncListener.NONE);

    private final FsyncListener listener;

    public Durability(FsyncListener listener) {
        this.listener = listener;
    }

    public void syncFile(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            force(channel);
        }
    }

    public void syncDirectory(Path directory) throws IOException {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            force(channel);
        }
    }

    /** fsync of a channel already open, e.g. after an append. */
    public void force(FileChannel channel) throws IOException {
        long started = System.nanoTime();
        channel.force(true);
        listener.fsynced(Duration.ofNanos(System.nanoTime() - started));
    }

    /** Renames atomically (never copy-and-delete) and makes the new name durable. */
    public void durableRename(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot rename " + from + " to " + to + " atomically (different file systems?)", e);
        }
        syncDirectory(to.getParent());
        if (!from.getParent().equals(to.getParent())) {
            syncDirectory(from.getParent());
        }
    }

    /** Writes the content of a new file. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Creates or replaces {@code target} so that a crash leaves the old file or the whole new one,
     * never a part of it: the content goes to {@code temporary} (created new, beside the target,
     * a name only this writer uses), which is fsync'd, renamed over the target, and the directory
     * fsync'd. The temporary is gone afterwards, also when the writing failed.
     */
    public void writeAtomically(Path temporary, Path target, Content content) throws IOException {
        FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        // only a temporary this call created is removed: one that was there belongs to another writer
        try {
            try (channel) {
                OutputStream out = Channels.newOutputStream(channel);
                content.writeTo(out);
                out.flush();
                force(channel);
            }
            durableRename(temporary, target);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }
}
