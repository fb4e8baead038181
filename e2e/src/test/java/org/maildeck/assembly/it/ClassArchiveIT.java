package org.maildeck.assembly.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The class-data archive of bin/maildeck ("Class-data sharing" there): made in the background
 * once the first server is ready, mapped by the next starts, and never a reason for a server not
 * to start when it is damaged.
 */
class ClassArchiveIT {

    /** The dump is one low-priority JVM of ~25 s of CPU; the ITs' machine is shared. */
    private static final Duration MAKING = Duration.ofMinutes(6);

    @TempDir
    static Path work;
    private static Path archive;

    @BeforeAll
    static void firstStart() throws Exception {
        archive = work.resolve("server-classes.jsa");
        try (MaildeckInstance server = MaildeckInstance.create().classArchive(archive)) {
            server.start();
            server.stop();
        }
        Instant deadline = Instant.now().plus(MAKING);
        while (!Files.isRegularFile(archive) && Instant.now().isBefore(deadline)) {
            Thread.sleep(500);
        }
    }

    @Test
    void firstStartLeavesAClassArchiveBehind() throws IOException {
        assertThat(archive).isRegularFile();
        assertThat(Files.size(archive)).as("archive size").isGreaterThan(10L * 1024 * 1024);
    }

    @Test
    void nextStartMapsTheClassArchive() throws IOException {
        try (MaildeckInstance server = MaildeckInstance.create().classArchive(archive)) {
            server.start();
            assertThat(mappedFiles(server)).contains(archive.toString());
        }
    }

    @Test
    void startWithADamagedClassArchiveGetsReadyWithoutIt() throws IOException {
        Path damaged = work.resolve("damaged.jsa");
        Files.copy(archive, damaged);
        try (var file = Files.newByteChannel(damaged, StandardOpenOption.WRITE)) {
            file.position(Files.size(damaged) / 2).write(java.nio.ByteBuffer.wrap(new byte[4096]));
        }
        assertGetsReadyWithoutMapping(damaged);
    }

    @Test
    void startWithATruncatedClassArchiveGetsReadyWithoutIt() throws IOException {
        Path truncated = work.resolve("truncated.jsa");
        try (var file = Files.newByteChannel(Files.copy(archive, truncated), StandardOpenOption.WRITE)) {
            file.truncate(Files.size(archive) / 2);
        }
        assertGetsReadyWithoutMapping(truncated);
    }

    @Test
    void startWithAFileThatIsNoClassArchiveGetsReadyWithoutIt() throws IOException {
        Path garbage = Files.writeString(work.resolve("garbage.jsa"), "not a class-data archive\n".repeat(1000));
        assertGetsReadyWithoutMapping(garbage);
    }

    /** A server started with {@code archive} gets ready (start() fails otherwise) without it. */
    private static void assertGetsReadyWithoutMapping(Path archive) throws IOException {
        try (MaildeckInstance server = MaildeckInstance.create().classArchive(archive)) {
            server.start();
            assertThat(mappedFiles(server)).doesNotContain(archive.toString());
        }
    }

    /** /proc/PID/maps of the server: the files it has mapped into memory. */
    private static String mappedFiles(MaildeckInstance server) throws IOException {
        return Files.readString(Path.of("/proc", Long.toString(server.pid()), "maps"));
    }
}
