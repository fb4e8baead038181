package org.maildeck.assembly.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_16BE;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The tests' raw IMAP client, for tests that need exact bytes on the wire (literals with control
 * characters, hostile names), every response as sent, or IMAP's extensions one command at a time
 * (CONDSTORE, IDLE, APPEND with a synchronising literal). Every read has a deadline, so a server
 * that stops answering fails a test instead of hanging it. Tests that check message content use
 * Jakarta Mail ({@link Mailbox}); {@link ImapClient} adds SELECT, flags and folder listings.
 */
final class ImapWire implements AutoCloseable {

    /** A bound for a reply that must come, generous for a 5 MB APPEND on a loaded machine. */
    static final Duration NORMAL = Duration.ofSeconds(60);
    private static final Pattern LITERAL = Pattern.compile("\\{(\\d+)\\}$");

    /** One server response: its text (literals replaced by their {N} announcements) and the literals. */
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
    }

    /** What came back for a tag: untagged responses, the tagged line (null if none in time), whether the server closed. */
    record Reply(List<Response> untagged, String tagged, boolean closed) {

        boolean isOk() {
            return tagged != null && tagged.matches("\\S+ OK( .*)?");
        }

        /** NO or BAD: the command was refused. */
        boolean isRefused() {
            return tagged != null && tagged.matches("\\S+ (NO|BAD)( .*)?");
        }

        /** The number of a response code such as {@code [UIDNEXT 12]} or {@code [HIGHESTMODSEQ 7]}, if present. */
        Optional<Long> code(String name) {
            Pattern pattern = Pattern.compile("\\[" + Pattern.quote(name) + " (\\d+)\\]");
            for (String line : lines()) {
                Matcher matcher = pattern.matcher(line);
                if (matcher.find()) {
                    return Optional.of(Long.parseLong(matcher.group(1)));
                }
            }
            return Optional.empty();
        }

        /**
         * The text after the name of the first {@code [NAME ...]} response code, tagged or
         * untagged ({@code ""} for a code without one), e.g. {@code "38505 3"} of {@code [APPENDUID 38505 3]}.
         */
        Optional<String> codeText(String name) {
            Pattern pattern = Pattern.compile("\\[" + Pattern.quote(name) + "(?: ([^\\]]*))?\\]");
            for (String line : lines()) {
                Matcher matcher = pattern.matcher(line);
                if (matcher.find()) {
                    return Optional.of(matcher.group(1) == null ? "" : matcher.group(1));
                }
            }
            return Optional.empty();
        }

        /** The untagged responses whose text starts with {@code "* " + prefix}. */
        List<String> lines(String prefix) {
            return untagged.stream().map(Response::text).filter(text -> text.startsWith("* " + prefix)).toList();
        }

        /** The untagged responses in which {@code regex} is found. */
        List<Response> responses(String regex) {
            Pattern pattern = Pattern.compile(regex);
            return untagged.stream().filter(response -> pattern.matcher(response.text()).find()).toList();
        }

        /** The numbers of the {@code * SEARCH} response, in the order sent; fails if there is none. */
        List<Long> searched() {
            List<String> found = lines("SEARCH");
            if (found.size() != 1) {
                throw new AssertionError("expected one * SEARCH response in " + this);
            }
            return Arrays.stream(found.get(0).substring("* SEARCH".length()).trim().split(" +"))
                .filter(number -> !number.isEmpty()).map(Long::parseLong).toList();
        }

        /** {@code * N EXISTS}, if present (the last one). */
        Optional<Long> exists() {
            Long found = null;
            for (Response response : untagged) {
                Matcher matcher = Pattern.compile("\\* (\\d+) EXISTS").matcher(response.text());
                if (matcher.matches()) {
                    found = Long.parseLong(matcher.group(1));
                }
            }
            return Optional.ofNullable(found);
        }

        List<String> lines() {
            List<String> lines = new ArrayList<>(untagged.stream().map(Response::text).toList());
            if (tagged != null) {
                lines.add(tagged);
            }
            return lines;
        }

        @Override
        public String toString() {
            List<String> shown = lines().stream().map(ImapWire::printable).toList();
            return shown + (tagged == null ? (closed ? " then connection closed by the server" : " then no tagged reply in time") : "");
        }
    }

    private final LineConnection connection;
    private boolean closed;
    private int tags;
    private String greeting;

    private ImapWire(LineConnection connection) {
        this.connection = connection;
    }

    static ImapWire connect(int port) throws IOException {
        ImapWire imap = new ImapWire(LineConnection.open(port));
        Response greeting = imap.next(System.nanoTime() + NORMAL.toNanos());
        if (greeting == null || !greeting.text().startsWith("* OK")) {
            imap.close();
            throw new AssertionError("IMAP greeting: " + (greeting == null ? "none" : greeting.text()));
        }
        imap.greeting = greeting.text();
        return imap;
    }

    /** A connection to the IMAP listener of {@code server}. */
    static ImapWire connect(MaildeckInstance server) throws IOException {
        return connect(server.port("imap"));
    }

    /** A connection to the IMAP listener of {@code server}, logged in as {@code user}. */
    static ImapWire login(MaildeckInstance server, String user, String password) throws IOException {
        ImapWire imap = connect(server);
        imap.ok("LOGIN " + quote(user) + " " + quote(password));
        return imap;
    }

    /** The server's greeting line. */
    String greeting() {
        return greeting;
    }

    /** {@code text} as an IMAP quoted string. */
    static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    static ImapWire login(int port, String user, String password) throws IOException {
        return login(port, user, password, NORMAL);
    }

    /** {@link #login(int, String, String)} waiting up to {@code timeout} for the LOGIN's reply. */
    static ImapWire login(int port, String user, String password, Duration timeout) throws IOException {
        ImapWire imap = connect(port);
        imap.ok("LOGIN \"" + user + "\" \"" + password + "\"", timeout);
        return imap;
    }

    /** The client's socket, e.g. to look at the server's end of the connection ({@link ServerTcpState}). */
    Socket socket() {
        return connection.socket();
    }

    /** A fresh tag. */
    String tag() {
        return "t" + ++tags;
    }

    /** Sends {@code <tag> <command>} and waits for its tagged reply, whatever it is. */
    Reply command(String command) throws IOException {
        return command(command, NORMAL);
    }

    /** {@link #command(String)} waiting up to {@code timeout}. */
    Reply command(String command, Duration timeout) throws IOException {
        String tag = tag();
        send(tag + " " + command);
        return awaitTagged(tag, timeout);
    }

    /** {@link #command} that requires a tagged OK. */
    Reply ok(String command) throws IOException {
        return ok(command, NORMAL);
    }

    /** {@link #ok(String)} waiting up to {@code timeout}. */
    Reply ok(String command, Duration timeout) throws IOException {
        Reply reply = command(command, timeout);
        if (!reply.isOk()) {
            throw new AssertionError(printable(command) + " -> " + reply);
        }
        return reply;
    }

    /**
     * NOOPs until one brings the untagged line {@code line} (another session's change reaches
     * this one asynchronously), and returns every untagged line the NOOPs brought, in order.
     */
    List<String> noopUntil(String line) throws IOException {
        List<String> seen = new ArrayList<>();
        long deadline = System.nanoTime() + NORMAL.toNanos();
        while (System.nanoTime() < deadline) {
            Reply reply = ok("NOOP");
            reply.untagged().forEach(response -> seen.add(response.text()));
            if (reply.lines().contains(line)) {
                return seen;
            }
        }
        throw new AssertionError("no " + line + " in the NOOP replies " + seen);
    }

    /**
     * Sends {@code <tag> <before>{N}}, waits for the continuation, sends the literal and
     * {@code after}, and returns the tagged reply. A server that refuses the literal outright
     * (tagged NO/BAD instead of a continuation) is returned as such.
     */
    Reply commandWithLiteral(String before, byte[] literal, String after) throws IOException {
        return commandWithLiterals(List.of(before, after), List.of(literal));
    }

    /**
     * Sends {@code <tag> texts[0]{N0}}, then each literal once the server continued it, followed
     * by the next text (and the next literal's announcement, if any), and returns the tagged
     * reply; {@code texts} has one more element than {@code literals}. A server that answers
     * instead of continuing is returned as such.
     */
    Reply commandWithLiterals(List<String> texts, List<byte[]> literals) throws IOException {
        String tag = tag();
        long deadline = System.nanoTime() + NORMAL.toNanos();
        List<Response> untagged = new ArrayList<>();
        byte[] before = (tag + " ").getBytes(ISO_8859_1);
        for (int i = 0; i < literals.size(); i++) {
            write(concat(before, (texts.get(i) + "{" + literals.get(i).length + "}\r\n").getBytes(ISO_8859_1)));
            Reply instead = collect(tag, deadline, untagged, true);
            if (instead != null) {
                return instead;
            }
            before = literals.get(i);
        }
        write(concat(before, (texts.get(literals.size()) + "\r\n").getBytes(ISO_8859_1)));
        return collect(tag, System.nanoTime() + NORMAL.toNanos(), untagged, false);
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }

    /** {@code APPEND mailbox [(flags)] {N}}, the message sent once the server asked for it. */
    Reply append(String mailbox, String flags, byte[] message) throws IOException {
        return commandWithLiteral("APPEND " + quote(mailbox) + (flags == null ? "" : " (" + flags + ")") + " ", message, "");
    }

    /** {@link #append} that must succeed. */
    Reply appendOk(String mailbox, String flags, byte[] message) throws IOException {
        Reply reply = append(mailbox, flags, message);
        if (!reply.isOk()) {
            throw new AssertionError("APPEND to " + mailbox + " -> " + reply);
        }
        return reply;
    }

    /** Starts IDLE: returns its tag once the server sent its continuation. */
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
    Reply done(String idleTag) throws IOException {
        send("DONE");
        return awaitTagged(idleTag, NORMAL);
    }

    /** Whether the server closed the connection. */
    boolean isClosed() {
        return closed;
    }

    void send(String line) throws IOException {
        write((line + "\r\n").getBytes(ISO_8859_1));
    }

    void write(byte[] bytes) throws IOException {
        connection.write(bytes);
    }

    /** Responses until the one tagged {@code tag}, the end of the connection, or the timeout. */
    Reply awaitTagged(String tag, Duration timeout) throws IOException {
        return collect(tag, System.nanoTime() + timeout.toNanos(), new ArrayList<>(), false);
    }

    /**
     * Adds responses to {@code untagged} until the one tagged {@code tag}, the end of the
     * connection or the deadline, and returns the reply; with {@code toContinuation}, a
     * continuation request ({@code +}) comes first and returns null.
     */
    private Reply collect(String tag, long deadline, List<Response> untagged, boolean toContinuation) throws IOException {
        while (true) {
            Response response = next(deadline);
            if (response == null) {
                return new Reply(untagged, null, closed);
            }
            if (response.text().startsWith(tag + " ")) {
                return new Reply(untagged, response.text(), closed);
            }
            if (toContinuation && response.text().startsWith("+")) {
                return null;
            }
            untagged.add(response);
        }
    }

    /** The next response, or null if none came within the timeout or the connection ended. */
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
            byte[] bytes = connection.readExactly(size, NORMAL);
            if (bytes.length < size) {
                throw new AssertionError("connection ended inside a " + size + "-byte literal after: " + text);
            }
            literals.add(bytes);
            String rest = readLine(System.nanoTime() + NORMAL.toNanos());
            if (rest == null) {
                throw new AssertionError("no rest of line after a literal in: " + text);
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
        byte[] line;
        try {
            line = connection.readRawLine(deadline);
        } catch (SocketTimeoutException e) {
            return null;
        } catch (SocketException e) {
            closed = true;
            return null;
        }
        if (line == null) {
            closed = true;
            return null;
        }
        return LineConnection.text(line);
    }

    static String printable(String text) {
        StringBuilder shown = new StringBuilder();
        for (char c : text.toCharArray()) {
            if (c < 0x20 || c == 0x7f) {
                shown.append(String.format("\\x%02x", (int) c));
            } else {
                shown.append(c);
            }
        }
        return shown.toString();
    }

    /** A mailbox name as sent on the wire, decoded from modified UTF-7 (RFC 3501 5.1.3). */
    static String decodeModifiedUtf7(String encoded) {
        StringBuilder decoded = new StringBuilder();
        int i = 0;
        while (i < encoded.length()) {
            char c = encoded.charAt(i);
            int end = c == '&' ? encoded.indexOf('-', i) : -1;
            if (c != '&' || end < 0) {
                decoded.append(c);
                i++;
            } else if (end == i + 1) {
                decoded.append('&');
                i = end + 1;
            } else {
                byte[] utf16 = Base64.getDecoder().decode(encoded.substring(i + 1, end).replace(',', '/'));
                decoded.append(new String(utf16, UTF_16BE));
                i = end + 1;
            }
        }
        return decoded.toString();
    }

    /**
     * Closes the socket without a LOGOUT, from any thread: a watchdog's way out of a test blocked
     * writing to a server that stopped reading (a LOGOUT would block behind the test's write).
     */
    void abort() {
        try {
            connection.close();
        } catch (IOException e) {
            // nothing to do
        }
    }

    @Override
    public void close() {
        try {
            if (!closed) {
                // Not waited for: James 3.8.1 can close before its tagged LOGOUT reply under load.
                connection.write("z LOGOUT\r\n".getBytes(US_ASCII));
            }
        } catch (IOException e) {
            // the connection is gone either way
        }
        try {
            connection.close();
        } catch (IOException e) {
            // nothing to do
        }
    }
}
