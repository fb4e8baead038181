package org.maildeck.assembly.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A raw IMAP client for specification tests: tagged commands, responses with literals read as
 * exact bytes, APPEND with a synchronising literal, IDLE. Every read has a deadline, so a server
 * that does not answer fails the test instead of hanging it.
 */
final class ImapTestSession implements AutoCloseable {

    static final Duration NORMAL = Duration.ofSeconds(60);
    private static final Pattern LITERAL = Pattern.compile("\\{(\\d+)\\}$");

    /** One response: its text (literals shown as {N}, the line pieces joined) and the literals' bytes. */
    record Response(String text, List<byte[]> literals) {
        /** The literal that follows {@code key {N}} in the text. */
        byte[] literalAfter(String key) {
            Matcher any = Pattern.compile("\\{\\d+\\}").matcher(text);
            int index = 0;
            while (any.find()) {
                if (text.substring(0, any.start()).endsWith(key + " ")) {
                    return literals.get(index);
                }
                index++;
            }
            throw new AssertionError("no " + key + " literal in " + text);
        }

        @Override
        public String toString() {
            return text;
        }
    }

    /** What a command got: the untagged responses before its tagged one, and the tagged line. */
    record Result(List<Response> untagged, String tagged) {
        boolean ok() {
            return tagged != null && tagged.matches("\\S+ OK.*");
        }

        /** The untagged responses whose text starts with {@code "* " + prefix}. */
        List<String> lines(String prefix) {
            return untagged.stream().map(Response::text).filter(text -> text.startsWith("* " + prefix)).toList();
        }

        List<Response> responses(String regex) {
            Pattern pattern = Pattern.compile(regex);
            return untagged.stream().filter(response -> pattern.matcher(response.text()).find()).toList();
        }

        /** The first {@code [CODE ...]} response code with this name, tagged or untagged: its text after the name. */
        Optional<String> code(String name) {
            Pattern pattern = Pattern.compile("\\[" + Pattern.quote(name) + "(?: ([^\\]]*))?\\]");
            List<String> texts = new ArrayList<>();
            untagged.forEach(response -> texts.add(response.text()));
            if (tagged != null) {
                texts.add(tagged);
            }
            for (String text : texts) {
                Matcher matcher = pattern.matcher(text);
                if (matcher.find()) {
                    return Optional.of(matcher.group(1) == null ? "" : matcher.group(1));
                }
            }
            return Optional.empty();
        }

        @Override
        public String toString() {
            List<String> all = new ArrayList<>();
            untagged.forEach(response -> all.add(shorten(response.text())));
            all.add(tagged == null ? "(no tagged reply)" : tagged);
            return String.join(" | ", all);
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private final String greeting;
    private int nextTag = 1;
    private boolean closed;

    private ImapTestSession(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
        this.out = socket.getOutputStream();
        Response first = next(NORMAL);
        if (first == null || !first.text().startsWith("* OK")) {
            socket.close();
            throw new AssertionError("IMAP greeting: " + first);
        }
        this.greeting = first.text();
    }

    static ImapTestSession connect(MaildeckInstance server) throws IOException {
        return new ImapTestSession(new Socket("127.0.0.1", server.port("imap")));
    }

    static ImapTestSession login(MaildeckInstance server, String user, String password) throws IOException {
        ImapTestSession imap = connect(server);
        imap.ok("LOGIN " + quote(user) + " " + quote(password));
        return imap;
    }

    String greeting() {
        return greeting;
    }

    static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private String tag() {
        return "t" + nextTag++;
    }

    /** Sends a command, returns whatever the tagged reply is. */
    Result command(String command) throws IOException {
        String tag = tag();
        send(tag + " " + command);
        return awaitTagged(tag, NORMAL);
    }

    /** Sends a command and requires a tagged OK. */
    Result ok(String command) throws IOException {
        Result result = command(command);
        if (!result.ok()) {
            throw new AssertionError(command + " -> " + result);
        }
        return result;
    }

    /** {@code APPEND mailbox [flags] {N}}, waiting for the continuation before the message is sent. */
    Result append(String mailbox, String flags, byte[] message) throws IOException {
        String tag = tag();
        send(tag + " APPEND " + quote(mailbox) + (flags == null ? "" : " (" + flags + ")") + " {" + message.length + "}");
        Response continuation = next(NORMAL);
        if (continuation == null || !continuation.text().startsWith("+")) {
            throw new AssertionError("no continuation for APPEND to " + mailbox + ": " + continuation);
        }
        write(message);
        write("\r\n".getBytes(ISO_8859_1));
        return awaitTagged(tag, NORMAL);
    }

    /** APPEND that must succeed. */
    Result appendOk(String mailbox, String flags, byte[] message) throws IOException {
        Result result = append(mailbox, flags, message);
        if (!result.ok()) {
            throw new AssertionError("APPEND to " + mailbox + " -> " + result);
        }
        return result;
    }

    /** Starts IDLE: returns the tag once the server sent its continuation. */
    String idle() throws IOException {
        String tag = tag();
        send(tag + " IDLE");
        Response continuation = next(NORMAL);
        if (continuation == null || !continuation.text().startsWith("+")) {
            throw new AssertionError("IDLE was not accepted: " + continuation);
        }
        return tag;
    }

    /** Ends IDLE ({@code DONE}) and returns the reply to the IDLE command. */
    Result done(String idleTag) throws IOException {
        send("DONE");
        return awaitTagged(idleTag, NORMAL);
    }

    void send(String line) throws IOException {
        write((line + "\r\n").getBytes(UTF_8));
    }

    void write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Responses until the one tagged {@code tag}; a null tagged line if the time ran out or the connection ended. */
    Result awaitTagged(String tag, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Response> untagged = new ArrayList<>();
        while (true) {
            Response response = next(deadline);
            if (response == null) {
                return new Result(untagged, null);
            }
            if (response.text().startsWith(tag + " ")) {
                return new Result(untagged, response.text());
            }
            untagged.add(response);
        }
    }

    /** The next response, or null if none came in time or the connection ended. */
    Response next(Duration timeout) throws IOException {
        return next(System.nanoTime() + timeout.toNanos());
    }

    private Response next(long deadline) throws IOException {
        String line = readLine(deadline);
        if (line == null) {
            return null;
        }
        StringBuilder text = new StringBuilder(line);
        List<byte[]> literals = new ArrayList<>();
        Matcher literal = LITERAL.matcher(line);
        while (literal.find()) {
            int size = Integer.parseInt(literal.group(1));
            socket.setSoTimeout((int) NORMAL.toMillis());
            byte[] bytes = in.readNBytes(size);
            if (bytes.length < size) {
                throw new AssertionError("connection ended inside a " + size + "-byte literal after: " + shorten(text.toString()));
            }
            literals.add(bytes);
            String rest = readLine(System.nanoTime() + NORMAL.toNanos());
            if (rest == null) {
                throw new AssertionError("no rest of line after a literal in: " + shorten(text.toString()));
            }
            text.append(rest);
            literal = LITERAL.matcher(rest);
        }
        return new Response(text.toString(), literals);
    }

    private String readLine(long deadline) throws IOException {
        if (closed) {
            return null;
        }
        while (true) {
            long remaining = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (remaining <= 0) {
                return null;
            }
            socket.setSoTimeout((int) remaining);
            int b;
            try {
                b = in.read();
            } catch (SocketTimeoutException e) {
                return null;
            } catch (SocketException e) {
                closed = true;
                return null;
            }
            if (b < 0) {
                closed = true;
                return null;
            }
            if (b == '\n') {
                String text = partial.toString(UTF_8);
                partial.reset();
                return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            }
            partial.write(b);
        }
    }

    boolean isClosed() {
        return closed;
    }

    private static String shorten(String text) {
        return text.length() > 300 ? text.substring(0, 300) + "...(" + text.length() + " chars)" : text;
    }

    /** LOGOUT without waiting for the reply (James 3.8.1 may drop it under load), then close. */
    @Override
    public void close() {
        try {
            if (!closed) {
                send(tag() + " LOGOUT");
            }
        } catch (IOException ignored) {
            // closing anyway
        }
        try {
            socket.close();
        } catch (IOException ignored) {
            // gone either way
        }
    }
}
