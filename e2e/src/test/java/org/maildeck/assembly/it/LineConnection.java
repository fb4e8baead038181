package org.maildeck.assembly.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The byte level that the tests' raw line-protocol clients share ({@link SmtpClient},
 * {@link Pop3Client}, {@link ImapWire}): one TCP connection to a loopback listener, from a chosen
 * local address when a test needs several clients (127.0.0.x), lines written as given and read up
 * to their LF, and exact byte counts (IMAP literals). The protocols' replies, and what a client
 * makes of a timeout or of the server closing, stay in the clients.
 */
final class LineConnection implements AutoCloseable {

    /** For {@link #readRawLine(long)}: each read waits as long as the socket's timeout. */
    static final long NO_DEADLINE = Long.MAX_VALUE;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    /** The start of a line whose LF has not come yet; kept when a read times out. */
    private final ByteArrayOutputStream unfinished = new ByteArrayOutputStream();

    private LineConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** A connection to 127.0.0.1:port. */
    static LineConnection open(int port) throws IOException {
        return new LineConnection(new Socket("127.0.0.1", port));
    }

    /** A connection to 127.0.0.1:port from {@code localAddress}, e.g. 127.0.0.2 (an untrusted client). */
    static LineConnection openFrom(String localAddress, int port) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(localAddress, 0));
        socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        return new LineConnection(socket);
    }

    Socket socket() {
        return socket;
    }

    /** How long each read waits before a {@link java.net.SocketTimeoutException}. */
    LineConnection timeout(Duration timeout) throws IOException {
        socket.setSoTimeout((int) timeout.toMillis());
        return this;
    }

    void write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** One line, CRLF added. */
    void writeLine(String line) throws IOException {
        write((line + "\r\n").getBytes(ISO_8859_1));
    }

    /**
     * The next line with its line end, or null when the server closed the connection first (what
     * it sent of a last line is then {@link #unfinishedLine()}). With a deadline (nanoTime) each
     * read waits only until it; a {@link java.net.SocketTimeoutException} leaves the bytes read so
     * far for the next call.
     */
    byte[] readRawLine(long deadline) throws IOException {
        while (true) {
            if (deadline != NO_DEADLINE) {
                long remaining = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (remaining <= 0) {
                    throw new SocketTimeoutException("no line before the deadline");
                }
                socket.setSoTimeout((int) remaining);
            }
            int b = in.read();
            if (b < 0) {
                return null;
            }
            unfinished.write(b);
            if (b == '\n') {
                byte[] line = unfinished.toByteArray();
                unfinished.reset();
                return line;
            }
        }
    }

    /** What the server sent of a line whose end has not come. */
    String unfinishedLine() {
        return unfinished.toString(ISO_8859_1);
    }

    /** Exactly {@code size} bytes, fewer only if the server closed the connection first. */
    byte[] readExactly(int size, Duration timeout) throws IOException {
        timeout(timeout);
        return in.readNBytes(size);
    }

    /** A line's text: ISO-8859-1, without its LF and a CR before it. */
    static String text(byte[] rawLine) {
        int end = rawLine.length;
        if (end > 0 && rawLine[end - 1] == '\n') {
            end--;
        }
        if (end > 0 && rawLine[end - 1] == '\r') {
            end--;
        }
        return new String(rawLine, 0, end, ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
