package org.maildeck.milter;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

/**
 * The listener against hostile and broken MTAs, over real sockets: random bytes, truncated
 * packets, huge length fields, unknown commands and stalls each close their own connection with
 * a log line, while a well-behaved connection next to them is served.
 */
class MilterServerFuzzTest {

    private static final byte[] MESSAGE = "Subject: hi\r\nFrom: a@example.org\r\n\r\nHello.\r\n".getBytes(ISO_8859_1);
    private static final long SEED = Long.getLong("fuzz.seed", System.nanoTime());

    private MilterServer server;
    private int port;
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger handlerLog = (Logger) LoggerFactory.getLogger(MilterHandler.class);

    private static final EndOfMessage ACCEPT_ALL = new EndOfMessage() {
        @Override
        public Verdict decide(ReceivedMessage message) {
            return Verdict.accept(List.of(Verdict.addHeader("X-Virus-Scanned", "test")));
        }

        @Override
        public Verdict tooLarge(ReceivedMessage message) {
            return Verdict.refuse("552 5.3.4 Message size exceeds fixed limit");
        }
    };

    @BeforeEach
    void start() throws IOException {
        log.start();
        handlerLog.addAppender(log);
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        server = new MilterServer(new MilterSettings(true, new InetSocketAddress("127.0.0.1", port), 65600, 100_000,
            Duration.ofSeconds(1), Duration.ofSeconds(30), 20), ACCEPT_ALL);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop();
        handlerLog.detachAppender(log);
    }

    private List<String> closings() {
        return log.list.stream().map(ILoggingEvent::getFormattedMessage).filter(line -> line.contains("closing connection")).toList();
    }

    private void assertServed() throws IOException {
        try (MilterClient client = MilterClient.connect(port)) {
            client.negotiate();
            List<MilterPacket> replies = client.message("4GOOD", "a@example.org", List.of("b@example.com"), MESSAGE);
            assertThat(replies).extracting(MilterClient::describe).containsExactly("'h' X-Virus-Scanned: test", "'c'");
        }
    }

    @Test
    void hugeLengthFieldClosesTheConnectionWithoutWaitingForItsData() throws IOException {
        try (MilterClient hostile = MilterClient.connect(port)) {
            hostile.sendRaw(new byte[] {0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 'B'});

            assertThat(hostile.closedByFilter(Duration.ofSeconds(5))).isTrue();
        }
        assertThat(closings()).anyMatch(line -> line.contains("packet length 2147483647"));
    }

    @Test
    void unknownCommandClosesTheConnection() throws IOException {
        try (MilterClient hostile = MilterClient.connect(port)) {
            hostile.negotiate();
            hostile.send((byte) 'Z', new byte[0]);

            assertThat(hostile.closedByFilter(Duration.ofSeconds(5))).isTrue();
        }
        assertThat(closings()).anyMatch(line -> line.contains("unknown command 'Z'"));
    }

    @Test
    void stallInTheMiddleOfAPacketClosesTheConnectionAfterThePacketTimeout() throws IOException {
        try (MilterClient stalled = MilterClient.connect(port)) {
            stalled.sendRaw(new byte[] {0, 0, 0, 13, 'O', 0, 0});

            assertThat(stalled.closedByFilter(Duration.ofSeconds(10))).isTrue();
        }
        assertThat(closings()).anyMatch(line -> line.contains("no more of a packet"));
    }

    @Test
    void connectionsOverTheLimitAreClosedAndTheOthersServed() throws IOException {
        List<MilterClient> held = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                MilterClient client = MilterClient.connect(port);
                client.negotiate();
                held.add(client);
            }
            try (MilterClient extra = MilterClient.connect(port)) {
                assertThat(extra.closedByFilter(Duration.ofSeconds(5))).isTrue();
            }
            MilterClient first = held.remove(0);
            first.close();
        } finally {
            for (MilterClient client : held) {
                client.close();
            }
        }
        assertThat(log.list).anyMatch(event -> event.getFormattedMessage().contains("at most 20 (max.connections)"));
    }

    @Test
    void randomAndTruncatedPacketsCloseTheirConnectionsAndAGoodOneIsStillServed() throws Exception {
        Random random = new Random(SEED);
        for (int round = 0; round < 60; round++) {
            try (MilterClient hostile = MilterClient.connect(port)) {
                if (round % 3 != 0) {
                    hostile.negotiate();
                }
                hostile.sendRaw(garbage(random, round));
                // either the filter closes it, or it waits for more: both must leave the listener working
                hostile.closedByFilter(Duration.ofMillis(50));
            } catch (IOException closedEarly) {
                // the filter may close before negotiation is answered
            }
        }
        assertServed();
        assertThat(closings()).as("seed " + SEED).isNotEmpty();
    }

    /** Random bytes, random valid lengths with random commands, or packets cut short. */
    private static byte[] garbage(Random random, int round) {
        switch (round % 4) {
            case 0 -> {
                byte[] bytes = new byte[1 + random.nextInt(200)];
                random.nextBytes(bytes);
                return bytes;
            }
            case 1 -> {
                byte[] data = new byte[random.nextInt(64)];
                random.nextBytes(data);
                return packet((byte) random.nextInt(256), data, data.length + 1);
            }
            case 2 -> {
                byte[] data = new byte[random.nextInt(64)];
                random.nextBytes(data);
                byte[] whole = packet((byte) "OCHMRLNBEDAQK".charAt(random.nextInt(13)), data, data.length + 1);
                return java.util.Arrays.copyOf(whole, random.nextInt(whole.length));
            }
            default -> {
                return packet(MilterPacket.BODY, new byte[8], 0x7fffffff - random.nextInt(1000));
            }
        }
    }

    private static byte[] packet(byte command, byte[] data, int length) {
        byte[] bytes = new byte[5 + data.length];
        bytes[0] = (byte) (length >>> 24);
        bytes[1] = (byte) (length >>> 16);
        bytes[2] = (byte) (length >>> 8);
        bytes[3] = (byte) length;
        bytes[4] = command;
        System.arraycopy(data, 0, bytes, 5, data.length);
        return bytes;
    }
}
