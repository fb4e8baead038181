package org.maildeck.antivirus;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

import org.maildeck.localdaemon.DaemonAddress;
import org.maildeck.localdaemon.TestDaemon;

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

    private final TestDaemon daemon;
    private final int port;

    private ClamdProcess(TestDaemon daemon, int port) {
        this.daemon = daemon;
        this.port = port;
    }

    /** Starts clamd with {@code StreamMaxLength} set to {@code streamMaxLength} bytes. */
    public static ClamdProcess start(long streamMaxLength) {
        return start(streamMaxLength, TestDaemon.freePort());
    }

    /** As {@link #start(long)}, listening on the given TCP port of 127.0.0.1. */
    public static ClamdProcess start(long streamMaxLength, int port) {
        Path directory = TestDaemon.createDirectory("clamd");
        try {
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
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ClamdClient client = new ClamdClient(new ClamdClient.Settings(tcpAddress(port), Duration.ofSeconds(1), Duration.ofSeconds(2), 0));
        TestDaemon daemon = new TestDaemon("clamd", "clamav-daemon", directory,
            List.of("clamd", "-c", directory.resolve("clamd.conf").toString()), client::ping);
        daemon.start();
        return new ClamdProcess(daemon, port);
    }

    public DaemonAddress tcpAddress() {
        return tcpAddress(port);
    }

    private static DaemonAddress tcpAddress(int port) {
        return DaemonAddress.parse("127.0.0.1:" + port);
    }

    public DaemonAddress unixAddress() {
        return DaemonAddress.parse(daemon.directory().resolve("clamd.sock").toString());
    }

    public int port() {
        return port;
    }

    /** This clamd's clamd.conf, with its {@code StreamMaxLength}. */
    public Path configFile() {
        return daemon.directory().resolve("clamd.conf");
    }

    /** Stops clamd (SIGTERM) and waits until it is gone; {@link #restart()} brings it back on the same port. */
    public void stop() {
        daemon.stop();
    }

    public void restart() {
        daemon.restart();
    }

    /**
     * Stops clamd with SIGSTOP: connections are still accepted by the kernel but never answered,
     * as with a clamd stuck on a huge message; scans wait for their timeout. {@link #thaw()}
     * undoes it.
     */
    public void freeze() {
        daemon.freeze();
    }

    public void thaw() {
        daemon.thaw();
    }

    public String output() {
        return daemon.output();
    }

    @Override
    public void close() {
        daemon.close();
    }
}
