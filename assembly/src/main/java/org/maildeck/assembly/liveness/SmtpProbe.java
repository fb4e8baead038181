package org.maildeck.assembly.liveness;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.time.Duration;

/**
 * One short SMTP session with a listener of this server: greeting, NOOP, QUIT. Any reply counts
 * (a 421 of a listener at its connection limit too): what fails is no answer within
 * {@link #TIMEOUT}. A wildcard listener is reached through loopback.
 */
final class SmtpProbe {

    static final Duration TIMEOUT = Duration.ofSeconds(5);
    /** RFC 5321 4.5.3.1.5: a reply line is at most 512 octets. */
    private static final int MAX_LINE = 512;

    private SmtpProbe() {
    }

    static void session(InetSocketAddress listener) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(reachable(listener.getAddress()), listener.getPort()), (int) TIMEOUT.toMillis());
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            if (!readReply(in).startsWith("220")) {
                return;
            }
            out.write("NOOP\r\n".getBytes(US_ASCII));
            out.flush();
            readReply(in);
            out.write("QUIT\r\n".getBytes(US_ASCII));
            out.flush();
            readReply(in);
        }
    }

    static String describe(InetSocketAddress listener) {
        return listener.getAddress().getHostAddress() + ":" + listener.getPort();
    }

    private static InetAddress reachable(InetAddress bound) throws UnknownHostException {
        if (!bound.isAnyLocalAddress()) {
            return bound;
        }
        return bound instanceof Inet6Address ? InetAddress.getByName("::1") : InetAddress.getByName("127.0.0.1");
    }

    /** The last line of a reply (continuation lines have a '-' after the code). */
    private static String readReply(InputStream in) throws IOException {
        while (true) {
            String line = readLine(in);
            if (line.length() < 4 || line.charAt(3) != '-') {
                return line;
            }
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new IOException("connection closed");
            }
            if (line.length() > MAX_LINE) {
                throw new IOException("reply line over " + MAX_LINE + " octets");
            }
            line.append((char) b);
        }
        return line.toString().strip();
    }
}
