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

/**
 * Dovecot's dotlock: {@code <file>.lock} created exclusively. Whoever holds it may change the
 * file; a new version is written into the lock file itself and renamed over the file, so
 * readers see either the old or the new version, never a partial one.
 */
public final class DotLock implements AutoCloseable {

    /** Dovecot considers a dotlock stale after two minutes without change; so do we. */
    static final Duration STALE_AFTER = Duration.ofMinutes(2);
    static final Duration WAIT_AT_MOST = Duration.ofSeconds(30);

    private static final String HOST = hostName();
    private static final String OWNER = ProcessHandle.current().pid() + ":" + HOST;

    private final Path target;
    private final Path lockFile;
    private boolean held = true;

    private DotLock(Path target, Path lockFile) {
        this.target = target;
        this.lockFile = lockFile;
    }

    public static DotLock acquire(Path target) throws IOException {
        return acquire(target, WAIT_AT_MOST);
    }

    public static DotLock acquire(Path target, Duration waitAtMost) throws IOException {
        Path lockFile = target.resolveSibling(target.getFileName() + ".lock");
        Instant deadline = Instant.now().plus(waitAtMost);
        long pause = 2;
        while (true) {
            try {
                Files.createFile(lockFile);
                // Dovecot writes "<pid>:<host>" so that a lock left by a dead local process can be broken.
                Files.writeString(lockFile, OWNER, java.nio.charset.StandardCharsets.US_ASCII);
                return new DotLock(target, lockFile);
            } catch (FileAlreadyExistsException busy) {
                removeIfStale(lockFile);
                if (Instant.now().isAfter(deadline)) {
                    throw new IOException("timed out after " + waitAtMost.toSeconds() + " s waiting for " + lockFile);
                }
                sleep(pause);
                pause = Math.min(pause * 2, 100);
            }
        }
    }

    private static void removeIfStale(Path lockFile) throws IOException {
        try {
            FileTime modified = Files.getLastModifiedTime(lockFile);
            if (modified.toInstant().isBefore(Instant.now().minus(STALE_AFTER)) || heldByDeadLocalProcess(lockFile)) {
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
    public void replaceTarget(byte[] content) throws IOException {
        try (OutputStream out = Files.newOutputStream(lockFile, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            out.write(content);
        }
        Durability.syncFile(lockFile);
        Durability.durableRename(lockFile, target);
        held = false;
    }

    /** Touches the lock so a long operation is not taken for a dead holder. */
    public void refresh() throws IOException {
        Files.setLastModifiedTime(lockFile, FileTime.from(Instant.now()));
    }

    @Override
    public void close() throws IOException {
        if (held) {
            held = false;
            Files.deleteIfExists(lockFile);
        }
    }
}
