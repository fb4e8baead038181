package org.maildeck.assembly.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A raw SMTP client on a plain socket: what is written is exactly what goes on the wire, and
 * replies are read line by line (multi-line replies included).
 */
final class SmtpClient implements AutoCloseable {

    /** One SMTP reply: its code and all its lines as received (without CRLF). */
    record Reply(int code, List<String> lines) {
        String last() {
            return lines.get(lines.size() - 1);
        }

        boolean hasExtension(String keyword) {
            return lines.stream().skip(1).anyMatch(line -> line.substring(4).toUpperCase().startsWith(keyword));
        }

        @Override
        public String toString() {
            return String.join(" | ", lines);
        }
    }

    private final LineConnection connection;
    private final Reply greeting;

    private SmtpClient(LineConnection connection) throws IOException {
        this.connection = connection.timeout(Duration.ofSeconds(30));
        this.greeting = readReply();
    }

    static SmtpClient connect(int port) throws IOException {
        return new SmtpClient(LineConnection.open(port));
    }

    /** Connects to 127.0.0.1:port from the given local address, e.g. 127.0.0.2 (an untrusted client). */
    static SmtpClient connectFrom(String localAddress, int port) throws IOException {
        return new SmtpClient(LineConnection.openFrom(localAddress, port));
    }

    /**
     * A client outside the trusted networks (127.0.0.2), not logged in, in a transaction: EHLO and
     * {@code MAIL FROM:<sender>} answered.
     */
    static SmtpClient outsiderTransaction(int port, String sender) throws IOException {
        SmtpClient smtp = connectFrom("127.0.0.2", port);
        expect(smtp.command("EHLO client.test"), 250);
        expect(smtp.command("MAIL FROM:<" + sender + ">"), 250);
        return smtp;
    }

    /** The client's socket, e.g. to look at the server's end of the connection ({@link ServerTcpState}). */
    Socket socket() {
        return connection.socket();
    }

    Reply greeting() {
        return greeting;
    }

    /** Sends one command line (CRLF added) and reads its reply. */
    Reply command(String line) throws IOException {
        write((line + "\r\n").getBytes(ISO_8859_1));
        return readReply();
    }

    void write(byte[] bytes) throws IOException {
        connection.write(bytes);
    }

    Reply readReply() throws IOException {
        List<String> lines = new ArrayList<>();
        while (true) {
            String line = readLine();
            lines.add(line);
            if (line.length() < 4 || line.charAt(3) != '-') {
                return new Reply(Integer.parseInt(line.substring(0, 3)), lines);
            }
        }
    }

    private String readLine() throws IOException {
        byte[] line = connection.readRawLine(LineConnection.NO_DEADLINE);
        if (line == null) {
            throw new EOFException("connection closed by the server after: " + connection.unfinishedLine());
        }
        return LineConnection.text(line);
    }

    /**
     * After EHLO: MAIL, RCPT for each recipient, DATA, the dot-stuffed message and the final dot,
     * one reply at a time. Returns the reply to the final dot; fails on any earlier refusal.
     */
    Reply send(String from, List<String> recipients, byte[] message) throws IOException {
        expect(command("MAIL FROM:<" + from + ">"), 250);
        for (String recipient : recipients) {
            expect(command("RCPT TO:<" + recipient + ">"), 250);
        }
        expect(command("DATA"), 354);
        return sendData(message);
    }

    /** One message on a connection of its own (EHLO client.test, then {@link #send}), accepted with 250. */
    static void deliver(int port, String from, List<String> recipients, byte[] message) throws IOException {
        try (SmtpClient smtp = connect(port)) {
            expect(smtp.command("EHLO client.test"), 250);
            expect(smtp.send(from, recipients, message), 250);
        }
    }

    /** After a 354: writes the dot-stuffed message and the terminating dot, returns the reply. */
    Reply sendData(byte[] message) throws IOException {
        write(dotStuff(message));
        write(".\r\n".getBytes(ISO_8859_1));
        return readReply();
    }

    static Reply expect(Reply reply, int code) {
        if (reply.code() != code) {
            throw new AssertionError("expected " + code + " but the server answered: " + reply);
        }
        return reply;
    }

    /** RFC 5321 4.5.2: a dot is added in front of every line that starts with a dot. Needs CRLF line ends. */
    static byte[] dotStuff(byte[] message) {
        if (message.length < 2 || message[message.length - 2] != '\r' || message[message.length - 1] != '\n') {
            throw new IllegalArgumentException("a message must end with CRLF");
        }
        ByteArrayOutputStream stuffed = new ByteArrayOutputStream(message.length + 16);
        boolean lineStart = true;
        for (byte b : message) {
            if (lineStart && b == '.') {
                stuffed.write('.');
            }
            stuffed.write(b);
            lineStart = b == '\n';
        }
        return stuffed.toByteArray();
    }

    @Override
    public void close() throws IOException {
        connection.close();
    }
}
