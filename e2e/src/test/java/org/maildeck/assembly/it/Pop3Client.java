package org.maildeck.assembly.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A raw POP3 client for end-to-end tests: single-line and multi-line replies, dot-unstuffing,
 * from a chosen local address (127.0.0.x) when a test needs several clients.
 */
final class Pop3Client implements AutoCloseable {
    private final LineConnection connection;
    private boolean quit;

    private Pop3Client(LineConnection connection) throws IOException {
        this.connection = connection.timeout(Duration.ofSeconds(30));
    }

    /** Connects from 127.0.0.1 and logs in; fails unless the server says +OK. */
    static Pop3Client login(int port, String user, String password) throws IOException {
        Pop3Client pop3 = connectFrom("127.0.0.1", port);
        pop3.single("USER " + user);
        pop3.single("PASS " + password);
        return pop3;
    }

    /** Connects from {@code localAddress} and reads the greeting, which must be +OK. */
    static Pop3Client connectFrom(String localAddress, int port) throws IOException {
        Pop3Client pop3 = new Pop3Client(LineConnection.openFrom(localAddress, port));
        expectOk(pop3.readLine());
        return pop3;
    }

    /** Sends one command and returns its status line, whatever it is. */
    String command(String command) throws IOException {
        send(command);
        return readLine();
    }

    String single(String command) throws IOException {
        return expectOk(command(command));
    }

    /** A multi-line reply, un-dot-stuffed, without its status line and final dot. */
    byte[] multiLine(String command) throws IOException {
        return unStuff(multiLineOnTheWire(command));
    }

    /** A multi-line reply as the server sent it (still dot-stuffed), without its status line and final dot. */
    byte[] multiLineOnTheWire(String command) throws IOException {
        single(command);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            byte[] line = readRawLine();
            if (line.length == 3 && line[0] == '.' && line[1] == '\r' && line[2] == '\n') {
                return body.toByteArray();
            }
            body.writeBytes(line);
        }
    }

    /** Removes the dot the server adds in front of lines that start with a dot (RFC 1939 section 3). */
    static byte[] unStuff(byte[] wire) {
        ByteArrayOutputStream plain = new ByteArrayOutputStream(wire.length);
        boolean lineStart = true;
        for (byte b : wire) {
            if (!(lineStart && b == '.')) {
                plain.write(b);
                lineStart = b == '\n';
            } else {
                lineStart = false;
            }
        }
        return plain.toByteArray();
    }

    byte[] retr(int message) throws IOException {
        return multiLine("RETR " + message);
    }

    Map<Integer, String> uidl() throws IOException {
        Map<Integer, String> ids = new LinkedHashMap<>();
        String listing = new String(multiLine("UIDL"), ISO_8859_1);
        for (String line : listing.split("\r\n")) {
            if (!line.isEmpty()) {
                String[] parts = line.split(" ");
                ids.put(Integer.parseInt(parts[0]), parts[1]);
            }
        }
        return ids;
    }

    String quit() throws IOException {
        quit = true;
        send("QUIT");
        return readLine();
    }

    void dropConnection() throws IOException {
        quit = true;
        connection.close();
    }

    private void send(String command) throws IOException {
        connection.writeLine(command);
    }

    private byte[] readRawLine() throws IOException {
        byte[] line = connection.readRawLine(LineConnection.NO_DEADLINE);
        if (line == null) {
            throw new EOFException("POP3 connection closed after: " + connection.unfinishedLine());
        }
        return line;
    }

    private String readLine() throws IOException {
        return new String(readRawLine(), ISO_8859_1).strip();
    }

    private static String expectOk(String line) {
        if (!line.startsWith("+OK")) {
            throw new AssertionError("POP3 server answered: " + line);
        }
        return line;
    }

    @Override
    public void close() throws IOException {
        try {
            if (!quit) {
                send("QUIT");
                readLine();
            }
        } catch (EOFException | SocketException closedByTheServer) {
            // nothing to quit: the server ended the session first
        } finally {
            connection.close();
        }
    }
}
