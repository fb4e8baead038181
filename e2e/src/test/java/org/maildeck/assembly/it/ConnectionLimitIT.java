package org.maildeck.assembly.it;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A listener's {@code connectionLimitPerIP} and {@code connectionLimit}: the connection over the
 * limit is closed, and the mail log says why (postfix: "Connection concurrency limit exceeded");
 * but a full listener closes a connection idle for 10 s or more rather than turn a new client away.
 * Here SMTP allows 2 connections per client and IMAP 2 in all.
 */
@Timeout(value = 5, unit = java.util.concurrent.TimeUnit.MINUTES)
class ConnectionLimitIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    /** Idle for longer than this, a connection may be closed to make room (postfix's smtpd_timeout under stress, 10 s). */
    private static final Duration LONGER_THAN_STRESS_TIMEOUT = Duration.ofSeconds(11);

    private static final String USER = "u1@limits.test";
    private static final String PASSWORD = "secret-Pa55";

    private static MaildeckInstance server;

    @BeforeAll
    static void startServer() {
        server = MaildeckInstance.create((fileName, content) -> switch (fileName) {
            case "smtpserver.xml" -> content.replaceFirst("<connectionLimitPerIP>50</connectionLimitPerIP>", "<connectionLimitPerIP>2</connectionLimitPerIP>");
            case "imapserver.xml" -> content.replaceFirst("<connectionLimit>500</connectionLimit>", "<connectionLimit>2</connectionLimit>");
            default -> content;
        }).start();
        new WebAdmin(server).addDomain("limits.test").addUser(USER, PASSWORD);
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aConnectionOverThePerClientLimitIsClosedAndTheMailLogSaysWhy() throws Exception {
        int port = server.port("smtp");
        try (Socket first = connect("127.0.0.11", port); Socket second = connect("127.0.0.11", port)) {
            assertThat(firstLine(first)).startsWith("220 ");
            assertThat(firstLine(second)).startsWith("220 ");

            try (Socket third = connect("127.0.0.11", port)) {
                assertThat(firstLine(third)).as("the third connection from one client").isEmpty();
            }
            server.awaitMailLog(Pattern.compile(Pattern.quote("warning: connection limit exceeded: 3 connections from [127.0.0.11] to 127.0.0.1:"
                + port + " (connectionLimitPerIP 2); connection closed")), WAIT);
        }
    }

    @Test
    void anotherClientIsNotCountedAgainstTheLimitOfTheFirst() throws Exception {
        int port = server.port("smtp");
        try (Socket first = connect("127.0.0.12", port); Socket second = connect("127.0.0.12", port)) {
            assertThat(firstLine(first)).startsWith("220 ");
            assertThat(firstLine(second)).startsWith("220 ");

            try (Socket other = connect("127.0.0.13", port)) {
                assertThat(firstLine(other)).startsWith("220 ");
            }
        }
    }

    @Test
    void aClosedConnectionFreesItsPlace() throws Exception {
        int port = server.port("smtp");
        try (Socket kept = connect("127.0.0.14", port)) {
            assertThat(firstLine(kept)).startsWith("220 ");
            try (Socket closed = connect("127.0.0.14", port)) {
                assertThat(firstLine(closed)).startsWith("220 ");
            }
            awaitDisconnectLine("127.0.0.14");

            try (Socket next = connect("127.0.0.14", port)) {
                assertThat(firstLine(next)).as("the place the closed connection left").startsWith("220 ");
            }
        }
    }

    @Test
    void theTotalLimitCountsTheConnectionsOfAllClients() throws Exception {
        int port = server.port("imap");
        try (Socket first = connect("127.0.0.21", port); Socket second = connect("127.0.0.22", port)) {
            assertThat(firstLine(first)).startsWith("* OK ");
            assertThat(firstLine(second)).startsWith("* OK ");

            try (Socket third = connect("127.0.0.23", port)) {
                assertThat(firstLine(third)).as("the third connection in all").isEmpty();
            }
            server.awaitMailLog(Pattern.compile(Pattern.quote("warning: connection limit exceeded: 3 connections in all, the last from [127.0.0.23] to 127.0.0.1:"
                + port + " (connectionLimit 2); connection closed")), WAIT);
        }
    }

    @Test
    void aLoggedInImapSessionIsNotClosedToMakeRoomThoughIdleLongest() throws Exception {
        try (Socket loggedIn = imapGreeted("127.0.0.34")) {
            send(loggedIn, "a LOGIN " + USER + " " + PASSWORD);
            assertThat(firstLine(loggedIn)).as("LOGIN").startsWith("a OK ");
            try (Socket notLoggedIn = imapGreeted("127.0.0.35")) {
                Thread.sleep(LONGER_THAN_STRESS_TIMEOUT.toMillis());

                imapGreeted("127.0.0.36").close();
                assertThat(firstLine(notLoggedIn)).as("the connection that has not logged in").isEqualTo("* BYE Disconnected for inactivity.");
            }
            send(loggedIn, "b NOOP");
            assertThat(firstLine(loggedIn)).as("the logged-in session stays").isEqualTo("b OK NOOP completed.");
        }
    }

    @Test
    void aFullListenerClosesItsLongestIdleConnectionToServeANewClient() throws Exception {
        try (Socket older = imapGreeted("127.0.0.31"); Socket newer = imapGreeted("127.0.0.32")) {
            Thread.sleep(LONGER_THAN_STRESS_TIMEOUT.toMillis());

            try (Socket newcomer = imapGreeted("127.0.0.33")) {
                send(newcomer, "a NOOP");
                assertThat(firstLine(newcomer)).as("the newcomer is served").isEqualTo("a OK NOOP completed.");
            }
            assertThat(firstLine(older)).as("the connection idle longest gets dovecot's last line").isEqualTo("* BYE Disconnected for inactivity.");
            assertThat(firstLine(older)).as("and is closed").isEmpty();
            server.awaitMailLog(Pattern.compile(Pattern.quote("timeout from [127.0.0.31] to 127.0.0.1:" + server.port("imap") + " (idle for ")
                + "1\\d" + Pattern.quote(" s while the listener is at its connectionLimit 2, to make room for [127.0.0.33]); connection closed")), WAIT);

            send(newer, "b NOOP");
            assertThat(firstLine(newer)).as("the other idle connection stays").isEqualTo("b OK NOOP completed.");
        }
    }

    /** An IMAP connection from {@code from} that got the server's greeting. */
    private static Socket imapGreeted(String from) throws IOException {
        Socket socket = connect(from, server.port("imap"));
        assertThat(firstLine(socket)).as("greeting to %s", from).startsWith("* OK ");
        return socket;
    }

    /** A connection from the local address {@code from} (127.0.0.x), reads waiting up to {@link #WAIT}. */
    static Socket connect(String from, int port) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(from, 0));
        socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        socket.setSoTimeout((int) WAIT.toMillis());
        return socket;
    }

    static void send(Socket socket, String line) throws IOException {
        socket.getOutputStream().write((line + "\r\n").getBytes(US_ASCII));
    }

    /** The server's next line, or "" when it closed the connection without one. */
    static String firstLine(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        StringBuilder line = new StringBuilder();
        try {
            int next;
            while ((next = in.read()) != -1 && next != '\n') {
                line.append((char) next);
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("neither a line nor a close within " + WAIT + ": " + line);
        } catch (IOException reset) {
            return line.toString().trim();
        }
        return line.toString().trim();
    }

    /**
     * Waits for the mail log's disconnect line of {@code client}: a closed socket frees its place
     * once the server's side has noticed (the line comes after the count went down).
     */
    private static void awaitDisconnectLine(String client) throws InterruptedException {
        server.awaitMailLog(Pattern.compile("^disconnect from [^\\[]*\\[" + Pattern.quote(client) + "\\]"), WAIT);
    }
}
