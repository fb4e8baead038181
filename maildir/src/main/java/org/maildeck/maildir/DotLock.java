package org.maildeck.maildir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.maildeck.durability.Durability;

/**
 * Dovecot's dotlock: {@code <file>.lock} created exclusively. Whoever holds it may change the
 * file; a new version is written into the lock file itself and renamed over the file, so
 * readers see either the old or the new version, never a partial one.
 *
 * <p>The lock file only keeps other processes (Dovecot) out. Threads of this process first queue
 * on an in-process lock per file, so they wake up as soon as the holder is done instead of
 * polling the file system; only a lock held by another process is polled for.</p>
 */
public final class DotLock implements AutoCloseable {

    /** Dovecot considers a dotlock stale after two minutes without change; so do we. */
    static final Duration STALE_AFTER = Duration.ofMinutes(2);
    /** Long enough for a lock left by a dead process to become stale, as Dovecot waits. */
    static final Duration WAIT_AT_MOST = STALE_AFTER.plusSeconds(15);
    /** An empty lock is a writer that died between creating and filling it (not ours: we link). */
    static final Duration EMPTY_STALE_AFTER = Duration.ofSeconds(10);

    private static final String HOST = hostName();
    private static final String OWNER = ProcessHandle.current().pid() + ":" + HOST;

    /**
     * The in-process side of each lock file, by its path: one per file ever locked, a few dozen
     * bytes each. Reentrant: a thread that holds a lock may take it again.
     */
    private static final Map<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

    private final Path target;
    private final Path lockFile;
    private final ReentrantLock inProcess;
    private final boolean nested;
    private boolean held = true;

    private DotLock(Path target, Path lockFile, ReentrantLock inProcess, boolean nested) {
        this.target = target;
        this.lockFile = lockFile;
        this.inProcess = inProcess;
        this.nested = nested;
    }

    public static DotLock acquire(Path target) throws IOException {
        return acquire(target, WAIT_AT_MOST);
    }

    public static DotLock acquire(Path target, Duration waitAtMost) throws IOException {
        Path lockFile = target.resolveSibling(target.getFileName() + ".lock").toAbsolutePath().normalize();
        ReentrantLock inProcess = IN_PROCESS.computeIfAbsent(lockFile, path -> new ReentrantLock(true));
        if (inProcess.isHeldByCurrentThread()) {
            inProcess.lock();
            return new DotLock(target, lockFile, inProcess, true);
        }
        Instant deadline = Instant.now().plus(waitAtMost);
        lockInProcess(inProcess, waitAtMost, lockFile);
        try {
            waitForFile(lockFile, deadline, waitAtMost);
        } catch (IOException | RuntimeException e) {
            inProcess.unlock();
            throw e;
        }
        return new DotLock(target, lockFile, inProcess, false);
    }

    private static void lockInProcess(ReentrantLock inProcess, Duration waitAtMost, Path lockFile) throws IOException {
        try {
            if (!inProcess.tryLock(waitAtMost.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IOException("timed out after " + waitAtMost.toSeconds() + " s waiting for " + lockFile
                    + " (held by another thread of this process)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for a dotlock", e);
        }
    }

    /** Polls for a lock file held by another process: 2 ms doubling to 100 ms, as Dovecot does. */
    private static void waitForFile(Path lockFile, Instant deadline, Duration waitAtMost) throws IOException {
        long pause = 2;
        while (!tryCreate(lockFile)) {
            removeIfStale(lockFile);
            if (Instant.now().isAfter(deadline)) {
                throw new IOException("timed out after " + waitAtMost.toSeconds() + " s waiting for " + lockFile);
            }
            sleep(pause);
            pause = Math.min(pause * 2, 100);
        }
    }

    /**
     * Creates the lock with its content, {@code <pid>:<host>} like Dovecot's, in one step: the
     * content goes to a temporary file that is then hard-linked as the lock. A kill at any moment
     * leaves either no lock or a complete one, never an empty one.
     */
    private static boolean tryCreate(Path lockFile) throws IOException {
        Path temporary = lockFile.resolveSibling(lockFile.getFileName() + "." + OWNER.replace(':', '.') + "."
            + Thread.currentThread().getId() + ".tmp");
        Files.writeString(temporary, OWNER, java.nio.charset.StandardCharsets.US_ASCII);
        try {
            Files.createLink(lockFile, temporary);
            return true;
        } catch (FileAlreadyExistsException busy) {
            return false;
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private static void removeIfStale(Path lockFile) throws IOException {
        try {
            FileTime modified = Files.getLastModifiedTime(lockFile);
            boolean old = modified.toInstant().isBefore(Instant.now().minus(STALE_AFTER));
            boolean emptyForAWhile = Files.size(lockFile) == 0
                && modified.toInstant().isBefore(Instant.now().minus(EMPTY_STALE_AFTER));
            if (old || emptyForAWhile || heldByDeadLocalProcess(lockFile)) {
                Files.deleteIfExists(lockFile);
            }
        } catch (NoSuchFileException released) {
            // released while we looked: the next attempt takes it
        }
    }

    private static boolean heldByDeadLocalProcess(Path lockFile) throws IOException {
        String owner = Files.readString(lockFile, java.nio.charset.StandardCharsets.US_ASCII).trim();
        int colon = owner.indexOf(':');
        if (colon <= 0 || !owner.substring(colon + 1).equals(HOST)) {
            return false;
        }
        try {
            long pid = Long.parseLong(owner.substring(0, colon));
            return ProcessHandle.of(pid).isEmpty();
        } catch (NumberFormatException unreadable) {
            return false;
        }
    }

    private static void sleep(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for a dotlock", e);
        }
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "localhost";
        }
    }

    /** Writes {@code content} as the new version of the target, durably, and releases the lock. */
    public void replaceTarget(byte[] content, Durability durability) throws IOException {
        if (nested) {
            throw new IllegalStateException("cannot replace " + target + " while an outer holder of its lock is still using it");
        }
        try (OutputStream out = Files.newOutputStream(lockFile, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            out.write(content);
        }
        durability.syncFile(lockFile);
        durability.durableRename(lockFile, target);
        held = false;
        inProcess.unlock();
    }

    /** Touches the lock so a long operation is not taken for a dead holder. */
    public void refresh() throws IOException {
        Files.setLastModifiedTime(lockFile, FileTime.from(Instant.now()));
    }

    @Override
    public void close() throws IOException {
        if (!held) {
            return;
        }
        held = false;
        try {
            if (!nested) {
                Files.deleteIfExists(lockFile);
            }
        } finally {
            inProcess.unlock();
        }
    }
}
