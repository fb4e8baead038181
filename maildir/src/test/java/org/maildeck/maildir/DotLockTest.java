package org.maildeck.maildir;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.maildeck.durability.Durability;

class DotLockTest {

    private static final Duration SHORT = Duration.ofMillis(300);

    @TempDir
    Path folder;

    private Path target() {
        return folder.resolve("dovecot-uidlist");
    }

    private Path lockFile() {
        return folder.resolve("dovecot-uidlist.lock");
    }

    private static String localHost() throws IOException {
        return InetAddress.getLocalHost().getHostName();
    }

    private static long deadPid() throws Exception {
        Process process = new ProcessBuilder("true").start();
        process.waitFor();
        long pid = process.pid();
        assertThat(ProcessHandle.of(pid)).as("pid %d should be gone", pid).isEmpty();
        return pid;
    }

    @Test
    void lockFileHoldsPidAndHostLikeDovecots() throws IOException {
        try (DotLock lock = DotLock.acquire(target())) {
            assertThat(Files.readString(lockFile(), US_ASCII))
                .isEqualTo(ProcessHandle.current().pid() + ":" + localHost());
        }
    }

    @Test
    void closeRemovesTheLockFile() throws IOException {
        DotLock lock = DotLock.acquire(target());
        lock.close();

        assertThat(lockFile()).doesNotExist();
    }

    @Test
    void secondAcquireFailsWhileTheLockIsHeld() throws IOException {
        try (DotLock held = DotLock.acquire(target())) {
            assertThatThrownBy(this::acquireFromAnotherThread).isInstanceOf(IOException.class);
            assertThat(lockFile()).exists();
        }
    }

    @Test
    void theHoldingThreadMayTakeTheLockAgainAndKeepsItUntilTheOuterClose() throws Exception {
        try (DotLock outer = DotLock.acquire(target())) {
            try (DotLock inner = DotLock.acquire(target(), SHORT)) {
                assertThat(lockFile()).exists();
            }
            assertThat(lockFile()).exists();
            assertThatThrownBy(this::acquireFromAnotherThread).isInstanceOf(IOException.class);
        }
        assertThat(lockFile()).doesNotExist();
    }

    private void acquireFromAnotherThread() throws Exception {
        java.util.concurrent.CompletableFuture<Void> attempt = java.util.concurrent.CompletableFuture.runAsync(() -> {
            try {
                DotLock.acquire(target(), SHORT).close();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, runnable -> new Thread(runnable).start());
        try {
            attempt.get();
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof java.io.UncheckedIOException io) {
                throw io.getCause();
            }
            throw e;
        }
    }

    @Test
    void lockCanBeTakenAgainAfterRelease() throws IOException {
        DotLock.acquire(target()).close();

        try (DotLock again = DotLock.acquire(target(), SHORT)) {
            assertThat(lockFile()).exists();
        }
    }

    @Test
    void aThreadOfThisProcessQueuedForTheLockGetsItWhenTheHolderReleasesIt() throws Exception {
        DotLock held = DotLock.acquire(target());
        java.util.concurrent.CompletableFuture<Boolean> waiter = new java.util.concurrent.CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try (DotLock mine = DotLock.acquire(target(), Duration.ofSeconds(30))) {
                waiter.complete(Files.exists(lockFile()));
            } catch (IOException e) {
                waiter.completeExceptionally(e);
            }
        });
        thread.start();
        // Parked: on the in-process lock now, in the past by sleeping between polls of the lock file.
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (thread.getState() != Thread.State.TIMED_WAITING && thread.getState() != Thread.State.WAITING) {
            assertThat(System.nanoTime()).isLessThan(deadline);
            Thread.sleep(5);
        }
        assertThat(waiter).isNotDone();

        held.close();

        assertThat(waiter.get(10, java.util.concurrent.TimeUnit.SECONDS)).as("lock file exists while the waiter holds it").isTrue();
        thread.join(10_000);
        assertThat(lockFile()).doesNotExist();
    }

    @Test
    void freshLockOfAnotherHostIsRespected() throws IOException {
        Files.writeString(lockFile(), "99999:otherhost", US_ASCII);

        assertThatThrownBy(() -> DotLock.acquire(target(), SHORT)).isInstanceOf(IOException.class);
        assertThat(Files.readString(lockFile(), US_ASCII)).isEqualTo("99999:otherhost");
    }

    @Test
    void lockUnchangedForMoreThanTwoMinutesIsBroken() throws IOException {
        Files.writeString(lockFile(), "99999:otherhost", US_ASCII);
        Files.setLastModifiedTime(lockFile(), FileTime.from(Instant.now().minus(Duration.ofMinutes(2).plusSeconds(5))));

        try (DotLock lock = DotLock.acquire(target(), Duration.ofSeconds(5))) {
            assertThat(Files.readString(lockFile(), US_ASCII)).isEqualTo(ProcessHandle.current().pid() + ":" + localHost());
        }
    }

    @Test
    void lockOfADeadProcessOnThisHostIsBroken() throws Exception {
        Files.writeString(lockFile(), deadPid() + ":" + localHost(), US_ASCII);

        try (DotLock lock = DotLock.acquire(target(), Duration.ofSeconds(5))) {
            assertThat(Files.readString(lockFile(), US_ASCII)).startsWith(ProcessHandle.current().pid() + ":");
        }
    }

    @Test
    void lockOfALiveProcessOnThisHostIsRespected() throws Exception {
        Process sleeper = new ProcessBuilder("sleep", "60").start();
        try {
            Files.writeString(lockFile(), sleeper.pid() + ":" + localHost(), US_ASCII);

            assertThatThrownBy(() -> DotLock.acquire(target(), SHORT)).isInstanceOf(IOException.class);
        } finally {
            sleeper.destroy();
            sleeper.waitFor();
        }
    }

    @Test
    void lockOfADeadPidOnAnotherHostIsRespected() throws Exception {
        Files.writeString(lockFile(), deadPid() + ":some-other-host", US_ASCII);

        assertThatThrownBy(() -> DotLock.acquire(target(), SHORT)).isInstanceOf(IOException.class);
    }

    @Test
    void refreshKeepsALongHeldLockFromLookingStale() throws IOException {
        try (DotLock held = DotLock.acquire(target())) {
            Files.setLastModifiedTime(lockFile(), FileTime.from(Instant.now().minus(Duration.ofMinutes(3))));
            held.refresh();

            assertThatThrownBy(this::acquireFromAnotherThread).isInstanceOf(IOException.class);
        }
    }

    @Test
    void replaceTargetRenamesTheLockFileOverTheTarget() throws IOException {
        Files.writeString(target(), "old\n", UTF_8);
        try (DotLock lock = DotLock.acquire(target())) {
            Object lockInode = Files.readAttributes(lockFile(), BasicFileAttributes.class).fileKey();

            lock.replaceTarget("new content\n".getBytes(UTF_8), Durability.UNWATCHED);

            assertThat(Files.readString(target(), UTF_8)).isEqualTo("new content\n");
            assertThat(Files.readAttributes(target(), BasicFileAttributes.class).fileKey()).isEqualTo(lockInode);
            assertThat(lockFile()).doesNotExist();
        }
        assertThat(Files.readString(target(), UTF_8)).isEqualTo("new content\n");
    }

    @Test
    void replaceTargetReleasesTheLock() throws IOException {
        DotLock lock = DotLock.acquire(target());
        lock.replaceTarget("x".getBytes(UTF_8), Durability.UNWATCHED);

        try (DotLock next = DotLock.acquire(target(), SHORT)) {
            assertThat(lockFile()).exists();
        }
        assertThat(target()).hasContent("x");
    }

    @Test
    void shorterContentLeavesNoTailOfTheOwnerLine() throws IOException {
        try (DotLock lock = DotLock.acquire(target())) {
            lock.replaceTarget("a".getBytes(UTF_8), Durability.UNWATCHED);
        }
        assertThat(Files.readAllBytes(target())).containsExactly('a');
    }
}
