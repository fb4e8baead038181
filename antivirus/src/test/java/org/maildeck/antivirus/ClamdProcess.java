package org.maildeck.antivirus;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.maildeck.localdaemon.DaemonAddress;

/**
 * A real clamd (Debian's clamav-daemon) for tests: its own configuration, a free loopback TCP
 * port and a unix socket, and a one-signature database matching the EICAR test string that is
 * written at start (nothing is downloaded). clamd reports our unsigned signature as
 * {@value #SIGNATURE}. Starts in well under a second.
 */
public final class ClamdProcess implements AutoCloseable {

    /** The EICAR anti-virus test string; built here so no file in the tree looks infected. */
    public static final String EICAR = "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*";
    public static final String SIGNATURE = "Maildeck.Test.EICAR.UNOFFICIAL";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Path directory;
    private final int port;
    private volatile Process process;

    private ClamdProcess(Path directory, int port) {
        this.directory = directory;
        this.port = port;
    }

    /** Starts clamd with {@code StreamMaxLength} set to {@code streamMaxLength} bytes. */
    public static ClamdProcess start(long streamMaxLength) {
        try {
            return start(streamMaxLength, freePort());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** As {@link #start(long)}, listening on the given TCP port of 127.0.0.1. */
    public static ClamdProcess start(long streamMaxLength, int port) {
        try {
            Path directory = Files.createTempDirectory("maildeck-clamd-");
            Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.createDirectories(directory.resolve("db"));
            Files.createDirectories(directory.resolve("tmp"));
            Files.writeString(directory.resolve("db/maildeck-test.ndb"),
                "Maildeck.Test.EICAR:0:*:" + HexFormat.of().formatHex(EICAR.getBytes(US_ASCII)) + "\n", US_ASCII);
            Files.writeString(directory.resolve("clamd.conf"), String.join("\n",
                "Foreground yes",
                "DatabaseDirectory " + directory.resolve("db"),
                "TemporaryDirectory " + directory.resolve("tmp"),
                "PidFile " + directory.resolve("clamd.pid"),
                "TCPSocket " + port,
                "TCPAddr 127.0.0.1",
                "LocalSocket " + directory.resolve("clamd.sock"),
                "LocalSocketMode 666",
                "FixStaleSocket yes",
                "StreamMaxLength " + streamMaxLength,
                "MaxThreads 4",
                "SelfCheck 0",
                "ScanArchive yes",
                "ScanMail yes",
                "Bytecode no",
                ""), US_ASCII);
            ClamdProcess clamd = new ClamdProcess(directory, port);
            // a test that forgets to close must not leave clamd running after the JVM
            Runtime.getRuntime().addShutdownHook(new Thread(clamd::stop, "clamd-stop"));
            clamd.launch();
            return clamd;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public DaemonAddress tcpAddress() {
        return DaemonAddress.parse("127.0.0.1:" + port);
    }

    public DaemonAddress unixAddress() {
        return DaemonAddress.parse(directory.resolve("clamd.sock").toString());
    }

    public int port() {
        return port;
    }

    /** This clamd's clamd.conf, with its {@code StreamMaxLength}. */
    public Path configFile() {
        return directory.resolve("clamd.conf");
    }

    /** Stops clamd (SIGTERM) and waits until it is gone; {@link #restart()} brings it back on the same port. */
    public void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    public void restart() {
        stop();
        launch();
    }

    /**
     * Stops clamd with SIGSTOP: connections are still accepted by the kernel but never answered,
     * as with a clamd stuck on a huge message; scans wait for their timeout. {@link #thaw()}
     * undoes it.
     */
    public void freeze() {
        signal("-STOP");
    }

    public void thaw() {
        signal("-CONT");
    }

    private void signal(String signal) {
        Process running = java.util.Objects.requireNonNull(process, "clamd is not running");
        try {
            int status = new ProcessBuilder("kill", signal, Long.toString(running.pid())).inheritIO().start().waitFor();
            if (status != 0) {
                throw new IllegalStateException("kill " + signal + " " + running.pid() + " exited with " + status);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run kill", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void launch() {
        try {
            process = new ProcessBuilder("clamd", "-c", directory.resolve("clamd.conf").toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(directory.resolve("clamd.out").toFile()))
                .start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run clamd (Debian package clamav-daemon)", e);
        }
        ClamdClient client = new ClamdClient(new ClamdClient.Settings(tcpAddress(), Duration.ofSeconds(1), Duration.ofSeconds(2), 0));
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("clamd exited at start:\n" + output());
            }
            try {
                client.ping();
                return;
            } catch (ClamdException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("clamd did not answer PING within " + START_TIMEOUT + ":\n" + output(), e);
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

    public String output() {
        try {
            return Files.readString(directory.resolve("clamd.out"), US_ASCII);
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

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
