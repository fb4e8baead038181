package org.maildeck.durability;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

/**
 * The two system calls that make a Maildir change survive a crash: fsync of a file's data and
 * fsync of the directory that names it (rename and unlink only become durable with the latter).
 * Every fsync of the store goes through here, so that its {@link FsyncListener} sees them all.
 */
public final class Durability {

    /** For files written outside a store (tests, tools), where nobody watches the disk. */
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
}
