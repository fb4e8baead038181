package org.maildeck.localdaemon;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real daemon for tests (clamd, spamd): run in the foreground from a temporary directory of its
 * own (its configuration, data and output), ready once it answers its ping, stopped with its
 * children, frozen and thawed with SIGSTOP/SIGCONT to play a daemon stuck on a message. A test
 * that forgets to close it does not leave it running after the JVM.
 */
public final class TestDaemon implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);

    private final String name;
    private final String debianPackage;
    private final Path directory;
    private final List<String> command;
    private final DaemonHealthCheck.Ping ping;
    private volatile Process process;

    /**
     * A daemon that {@code command} runs in the foreground and {@code ping} finds ready;
     * {@code debianPackage} is named when the command cannot be run. Not started yet.
     */
    public TestDaemon(String name, String debianPackage, Path directory, List<String> command, DaemonHealthCheck.Ping ping) {
        this.name = name;
        this.debianPackage = debianPackage;
        this.directory = directory;
        this.command = List.copyOf(command);
        this.ping = ping;
        Runtime.getRuntime().addShutdownHook(new Thread(this::stop, name + "-stop"));
    }

    /** A new temporary directory for a daemon, readable by all (daemons may drop root to nobody). */
    public static Path createDirectory(String name) {
        try {
            Path directory = Files.createTempDirectory("maildeck-" + name + "-");
            Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A TCP port of 127.0.0.1 that nothing listens on now. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path directory() {
        return directory;
    }

    /** Runs the daemon and returns once it answers its ping; fails with its output if it exits or stays silent. */
    public void start() {
        try {
            process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(outputFile().toFile()))
                .start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + name + " (Debian package " + debianPackage + ")", e);
        }
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited at start:\n" + output());
            }
            try {
                ping.ping();
                return;
            } catch (DaemonException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(name + " did not answer its ping within " + START_TIMEOUT + ":\n" + output(), e);
                }
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** Stops the daemon and its children (SIGTERM, then SIGKILL) and waits until they are gone. */
    public void stop() {
        Process running = process;
        if (running == null) {
            return;
        }
        List<ProcessHandle> children = running.descendants().toList();
        children.forEach(ProcessHandle::destroy);
        running.destroy();
        try {
            if (!running.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                children.forEach(ProcessHandle::destroyForcibly);
                running.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    public void restart() {
        stop();
        start();
    }

    /**
     * SIGSTOP to the daemon and its children: connections are still accepted by the kernel but
     * never answered, as with a daemon stuck on a huge message. {@link #thaw()} undoes it.
     */
    public void freeze() {
        signal("-STOP");
    }

    public void thaw() {
        signal("-CONT");
    }

    private void signal(String signal) {
        Process running = Objects.requireNonNull(process, name + " is not running");
        List<String> kill = new ArrayList<>(List.of("kill", signal, Long.toString(running.pid())));
        running.descendants().forEach(child -> kill.add(Long.toString(child.pid())));
        try {
            int status = new ProcessBuilder(kill).inheritIO().start().waitFor();
            if (status != 0) {
                throw new IllegalStateException(String.join(" ", kill) + " exited with " + status);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run kill", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** What the daemon wrote to stdout and stderr so far. */
    public String output() {
        try {
            return Files.readString(outputFile(), UTF_8);
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    private Path outputFile() {
        return directory.resolve(name + ".out");
    }

    /** Stops the daemon and removes its directory. */
    @Override
    public void close() {
        stop();
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind is harmless
        }
    }
}
