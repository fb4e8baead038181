package org.maildeck.antivirus;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.maildeck.localdaemon.DaemonAddress;

/** The client against a real clamd, and against fake servers for the failures clamd does not produce on demand. */
class ClamdClientTest {

    private static final long STREAM_MAX_LENGTH = 1024 * 1024;

    private static ClamdProcess clamd;

    @BeforeAll
    static void startClamd() {
        clamd = ClamdProcess.start(STREAM_MAX_LENGTH);
    }

    @AfterAll
    static void stopClamd() {
        if (clamd != null) {
            clamd.close();
        }
    }

    private static ClamdClient client(DaemonAddress address, long streamMaxLength) {
        return new ClamdClient(new ClamdClient.Settings(address, Duration.ofSeconds(2), Duration.ofSeconds(10), streamMaxLength));
    }

    private static ClamdClient overTcp() {
        return client(clamd.tcpAddress(), STREAM_MAX_LENGTH);
    }

    private static final byte[] CLEAN = "Subject: hello\r\n\r\nNothing to see.\r\n".getBytes(US_ASCII);

    private static ClamdClient.Content bytes(byte[] content) {
        return () -> new ByteArrayInputStream(content);
    }

    @Test
    void pingSucceedsOverTcp() throws Exception {
        overTcp().ping();
    }

    @Test
    void pingSucceedsOverTheUnixSocket() throws Exception {
        client(clamd.unixAddress(), STREAM_MAX_LENGTH).ping();
    }

    @Test
    void versionNamesTheEngine() throws Exception {
        assertThat(overTcp().engineVersion()).matches("ClamAV \\d+\\.\\d+\\.\\d+");
    }

    @Test
    void aCleanStreamIsClean() throws Exception {
        assertThat(overTcp().scan(bytes("Subject: hello\r\n\r\nNothing to see.\r\n".getBytes(US_ASCII))))
            .isEqualTo(new ScanResult.Clean());
    }

    @Test
    void theEicarStringIsFoundWithItsSignatureName() throws Exception {
        assertThat(overTcp().scan(bytes(ClamdProcess.EICAR.getBytes(US_ASCII))))
            .isEqualTo(new ScanResult.Infected(ClamdProcess.SIGNATURE));
    }

    @Test
    void theEicarStringIsFoundOverTheUnixSocket() throws Exception {
        assertThat(client(clamd.unixAddress(), STREAM_MAX_LENGTH).scan(bytes(ClamdProcess.EICAR.getBytes(US_ASCII))))
            .isEqualTo(new ScanResult.Infected(ClamdProcess.SIGNATURE));
    }

    @Test
    void theEicarStringInsideAZipIsFound() throws Exception {
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(zip)) {
            out.putNextEntry(new ZipEntry("readme.txt"));
            out.write("harmless".getBytes(US_ASCII));
            out.putNextEntry(new ZipEntry("eicar.com"));
            out.write(ClamdProcess.EICAR.getBytes(US_ASCII));
        }

        assertThat(overTcp().scan(bytes(zip.toByteArray()))).isEqualTo(new ScanResult.Infected(ClamdProcess.SIGNATURE));
    }

    @Test
    void aVirusAfterManyChunksIsFound() throws Exception {
        byte[] padding = new byte[300 * 1024];
        java.util.Arrays.fill(padding, (byte) 'a');
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        content.write(padding);
        content.write(ClamdProcess.EICAR.getBytes(US_ASCII));
        ClamdClient.Content trickling = () -> new java.io.FilterInputStream(new ByteArrayInputStream(content.toByteArray())) {
            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                return super.read(buffer, offset, Math.min(length, 100));
            }
        };

        assertThat(overTcp().scan(trickling)).isEqualTo(new ScanResult.Infected(ClamdProcess.SIGNATURE));
    }

    @Test
    void aStreamOfExactlyTheLimitIsScanned() throws Exception {
        assertThat(overTcp().scan(bytes(new byte[(int) STREAM_MAX_LENGTH]))).isEqualTo(new ScanResult.Clean());
    }

    @Test
    void aStreamOverTheLimitIsTooLargeWithoutBeingSent() throws Exception {
        assertThat(overTcp().scan(bytes(new byte[(int) STREAM_MAX_LENGTH + 1])))
            .isEqualTo(new ScanResult.TooLarge(STREAM_MAX_LENGTH));
    }

    @Test
    void clamdsOwnSizeLimitReplyIsTooLarge() throws Exception {
        ClamdClient unaware = client(clamd.tcpAddress(), 0);

        assertThat(unaware.scan(bytes(new byte[(int) STREAM_MAX_LENGTH * 3]))).isInstanceOf(ScanResult.TooLarge.class);
    }

    @Test
    void nothingListeningIsUnreachable() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }

        assertThatThrownBy(() -> client(DaemonAddress.parse("127.0.0.1:" + closedPort), 0).ping())
            .isInstanceOfSatisfying(ClamdException.class, e -> assertThat(e.kind()).isEqualTo(ClamdException.Kind.UNREACHABLE));
    }

    @Test
    void aMissingUnixSocketIsUnreachable() {
        assertThatThrownBy(() -> client(DaemonAddress.parse("/nonexistent/clamd.sock"), 0).ping())
            .isInstanceOfSatisfying(ClamdException.class, e -> assertThat(e.kind()).isEqualTo(ClamdException.Kind.UNREACHABLE));
    }

    /** A server that takes one connection, reads what comes first and never answers (for 5 s). */
    private static ServerSocket silentServer() throws IOException {
        ServerSocket silent = new ServerSocket(0);
        Thread acceptor = new Thread(() -> {
            try (Socket socket = silent.accept()) {
                socket.getInputStream().read(new byte[4096]);
                Thread.sleep(5000);
            } catch (IOException | InterruptedException e) {
                // the test is over
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        return silent;
    }

    private static ClamdClient clientOf(ServerSocket server, Duration readTimeout) {
        return new ClamdClient(new ClamdClient.Settings(DaemonAddress.parse("127.0.0.1:" + server.getLocalPort()),
            Duration.ofSeconds(1), readTimeout, 0));
    }

    @Test
    void aServerThatNeverAnswersTimesOut() throws Exception {
        try (ServerSocket silent = silentServer()) {
            ClamdClient client = clientOf(silent, Duration.ofMillis(300));

            long start = System.nanoTime();
            assertThatThrownBy(client::ping)
                .isInstanceOfSatisfying(ClamdException.class, e -> assertThat(e.kind()).isEqualTo(ClamdException.Kind.TIMEOUT));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        }
    }

    @Test
    void aScanWithALimitShorterThanTheReadTimeoutEndsAtTheLimit() throws Exception {
        try (ServerSocket silent = silentServer()) {
            ClamdClient client = clientOf(silent, Duration.ofSeconds(10));

            long start = System.nanoTime();
            assertThatThrownBy(() -> client.scan(bytes(CLEAN), Duration.ofSeconds(1)))
                .isInstanceOfSatisfying(ClamdException.class, e -> assertThat(e.kind()).isEqualTo(ClamdException.Kind.TIMEOUT));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(900), Duration.ofMillis(3000));
        }
    }

    @Test
    void anAnswerThatIsNoVerdictIsAProtocolError() throws Exception {
        try (ServerSocket odd = new ServerSocket(0)) {
            Thread server = new Thread(() -> {
                try (Socket socket = odd.accept()) {
                    socket.getInputStream().read(new byte[64]);
                    socket.getOutputStream().write("UNKNOWN COMMAND\0".getBytes(US_ASCII));
                } catch (IOException e) {
                    // the test is over
                }
            });
            server.setDaemon(true);
            server.start();

            assertThatThrownBy(() -> client(DaemonAddress.parse("127.0.0.1:" + odd.getLocalPort()), 0).scan(bytes(new byte[10])))
                .isInstanceOfSatisfying(ClamdException.class, e -> assertThat(e.kind()).isEqualTo(ClamdException.Kind.PROTOCOL))
                .hasMessageContaining("UNKNOWN COMMAND");
        }
    }

    @Test
    void scansOneAfterTheOtherShareOneConnection() throws Exception {
        try (TcpRelay relay = TcpRelay.to(clamd.port())) {
            ClamdClient client = client(DaemonAddress.parse("127.0.0.1:" + relay.port()), STREAM_MAX_LENGTH);

            assertThat(client.scan(bytes(CLEAN))).isEqualTo(new ScanResult.Clean());
            assertThat(client.scan(bytes(ClamdProcess.EICAR.getBytes(US_ASCII)))).isEqualTo(new ScanResult.Infected(ClamdProcess.SIGNATURE));
            assertThat(client.scan(bytes(CLEAN))).isEqualTo(new ScanResult.Clean());

            assertThat(relay.connectionsAccepted()).isEqualTo(1);
            assertThat(relay.scansPassedOn()).isEqualTo(3);
        }
    }

    @Test
    void aSessionClosedWhileIdleIsNotUsedAndTheNextScanIsSentOnce() throws Exception {
        try (TcpRelay relay = TcpRelay.to(clamd.port())) {
            ClamdClient client = client(DaemonAddress.parse("127.0.0.1:" + relay.port()), STREAM_MAX_LENGTH);
            client.scan(bytes(CLEAN));

            relay.cutAll();

            assertThat(client.scan(bytes(ClamdProcess.EICAR.getBytes(US_ASCII)))).isEqualTo(new ScanResult.Infected(ClamdProcess.SIGNATURE));
            assertThat(relay.connectionsAccepted()).isEqualTo(2);
            assertThat(relay.scansPassedOn()).isEqualTo(2);
        }
    }

    @Test
    void aSessionThatDiesAsTheScanStartsIsRetriedOnceOnANewConnection() throws Exception {
        try (TcpRelay relay = TcpRelay.to(clamd.port())) {
            ClamdClient client = client(DaemonAddress.parse("127.0.0.1:" + relay.port()), STREAM_MAX_LENGTH);
            client.scan(bytes(CLEAN));

            relay.cutAllAtTheirNextCommand();

            assertThat(client.scan(bytes(ClamdProcess.EICAR.getBytes(US_ASCII)))).isEqualTo(new ScanResult.Infected(ClamdProcess.SIGNATURE));
            assertThat(relay.connectionsAccepted()).isEqualTo(2);
            assertThat(relay.scansPassedOn()).isEqualTo(2);
        }
    }

    @Test
    void aNewConnectionThatDiesIsAFailureNotRetried() throws Exception {
        try (TcpRelay relay = TcpRelay.to(clamd.port())) {
            ClamdClient client = client(DaemonAddress.parse("127.0.0.1:" + relay.port()), STREAM_MAX_LENGTH);
            relay.cutEveryNewConnectionAtItsFirstCommand();

            assertThatThrownBy(() -> client.scan(bytes(CLEAN)))
                .isInstanceOfSatisfying(ClamdException.class, e -> assertThat(e.kind()).isEqualTo(ClamdException.Kind.UNREACHABLE));
            assertThat(relay.connectionsAccepted()).isEqualTo(1);
        }
    }

    @Test
    void aScanOnAKeptSessionIsRetriedAtMostOnce() throws Exception {
        try (TcpRelay relay = TcpRelay.to(clamd.port())) {
            ClamdClient client = client(DaemonAddress.parse("127.0.0.1:" + relay.port()), STREAM_MAX_LENGTH);
            client.scan(bytes(CLEAN));
            relay.cutAllAtTheirNextCommand();
            relay.cutEveryNewConnectionAtItsFirstCommand();

            assertThatThrownBy(() -> client.scan(bytes(CLEAN)))
                .isInstanceOfSatisfying(ClamdException.class, e -> assertThat(e.kind()).isEqualTo(ClamdException.Kind.UNREACHABLE));
            assertThat(relay.connectionsAccepted()).isEqualTo(2);
            assertThat(relay.scansPassedOn()).isEqualTo(1);
        }
    }

    @Test
    void scansGoOnAfterClamdRestartsBetweenThem() throws Exception {
        ClamdClient client = overTcp();
        assertThat(client.scan(bytes(CLEAN))).isEqualTo(new ScanResult.Clean());

        clamd.restart();

        assertThat(client.scan(bytes(ClamdProcess.EICAR.getBytes(US_ASCII)))).isEqualTo(new ScanResult.Infected(ClamdProcess.SIGNATURE));
    }

    @Test
    void aClientFollowsClamdThroughARestart() throws Exception {
        ClamdClient client = overTcp();
        clamd.stop();
        assertThatThrownBy(client::ping).isInstanceOf(ClamdException.class);

        clamd.restart();

        client.ping();
    }
}
