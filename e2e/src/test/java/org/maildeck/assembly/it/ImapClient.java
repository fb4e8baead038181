package org.maildeck.assembly.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small IMAP line client for end-to-end tests that talk to Maildeck and Dovecot alike: tagged
 * commands, synchronising literals both ways, IDLE, and the few parsers the tests need (SELECT
 * codes, {@code UID FETCH} flags and subjects, LIST/LSUB names). A literal in a response is
 * appended to the line it belongs to, so every response line is one string. Every read has a
 * deadline.
 */
final class ImapClient implements AutoCloseable {

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern LITERAL = Pattern.compile("\\{(\\d+)\\+?\\}$");
    private static final Pattern FETCH = Pattern.compile("^\\* (\\d+) FETCH \\((.*)\\)$", Pattern.DOTALL);
    private static final Pattern UID = Pattern.compile("\\bUID (\\d+)");
    private static final Pattern FLAGS = Pattern.compile("\\bFLAGS \\(([^)]*)\\)");
    private static final Pattern LIST = Pattern.compile("^\\* (?:LIST|LSUB) \\([^)]*\\) (?:NIL|\"(?:[^\"\\\\]|\\\\.)*\") (.+)$");

    /** The untagged lines and the tagged completion of one command. */
    record Response(List<String> untagged, String tagged) {
        /** The value of a response code such as {@code [UIDNEXT 7]} or {@code [COPYUID 1 2 3]}, from any line. */
        String code(String name) {
            Pattern pattern = Pattern.compile("\\[" + Pattern.quote(name) + " ([^\\]]*)\\]");
            for (String line : allLines()) {
                Matcher matcher = pattern.matcher(line);
                if (matcher.find()) {
                    return matcher.group(1);
                }
            }
            throw new AssertionError("no [" + name + " ...] in " + allLines());
        }

        List<String> allLines() {
            List<String> all = new ArrayList<>(untagged);
            all.add(tagged);
            return all;
        }
    }

    /** What SELECT said about the mailbox. */
    record Selected(long exists, long uidValidity, long uidNext) {
    }

    private final String name;
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private int tags;

    private ImapClient(String name, Socket socket) throws IOException {
        this.name = name;
        this.socket = socket;
        socket.setSoTimeout((int) READ_TIMEOUT.toMillis());
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** Connects to 127.0.0.1:port and logs in; {@code name} ("Maildeck", "Dovecot") labels failures. */
    static ImapClient login(String name, int port, String user, String password) throws IOException {
        ImapClient client = connectFrom(name, "127.0.0.1", port);
        client.command("LOGIN " + quote(user) + " " + quote(password));
        return client;
    }

    /** Connects from {@code localAddress} (127.0.0.x, to be another client) to 127.0.0.1:port; not logged in. */
    static ImapClient connectFrom(String name, String localAddress, int port) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(localAddress, 0));
        socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        ImapClient client = new ImapClient(name, socket);
        String greeting = client.readLine();
        if (!greeting.startsWith("* OK")) {
            throw new AssertionError(name + " greeted with: " + greeting);
        }
        return client;
    }

    /** Sends one command and returns its response; fails unless it completes with OK. */
    Response command(String command) throws IOException {
        Response response = send(command);
        if (!response.tagged().matches("^\\S+ OK.*")) {
            throw new AssertionError(name + ": " + command + " -> " + response.allLines());
        }
        return response;
    }

    /** Sends one command and returns its response, whatever the completion. */
    Response send(String command) throws IOException {
        String tag = nextTag();
        writeLine(tag + " " + command);
        return readUntilTagged(tag, new ArrayList<>());
    }

    /** {@code APPEND mailbox (flags) {n}} with a synchronising literal; fails unless OK. */
    Response append(String mailbox, String flags, byte[] message) throws IOException {
        String tag = nextTag();
        writeLine(tag + " APPEND " + mailbox + " (" + flags + ") {" + message.length + "}");
        String continuation = readLine();
        if (!continuation.startsWith("+")) {
            throw new AssertionError(name + ": APPEND to " + mailbox + " not continued: " + continuation);
        }
        out.write(message);
        writeLine("");
        Response response = readUntilTagged(tag, new ArrayList<>());
        if (!response.tagged().matches("^\\S+ OK.*")) {
            throw new AssertionError(name + ": APPEND to " + mailbox + " -> " + response.allLines());
        }
        return response;
    }

    /** The UID the server gave an APPENDed message ({@code [APPENDUID validity uid]}). */
    static long appendedUid(Response append) {
        return Long.parseLong(append.code("APPENDUID").split(" ")[1]);
    }

    Selected select(String mailbox) throws IOException {
        Response response = command("SELECT " + mailbox);
        long exists = -1;
        for (String line : response.untagged()) {
            Matcher matcher = Pattern.compile("^\\* (\\d+) EXISTS$").matcher(line);
            if (matcher.matches()) {
                exists = Long.parseLong(matcher.group(1));
            }
        }
        return new Selected(exists, Long.parseLong(response.code("UIDVALIDITY")), Long.parseLong(response.code("UIDNEXT")));
    }

    /**
     * {@code UID FETCH 1:* (FLAGS)} of the selected mailbox: flags by UID, without {@code \Recent},
     * which belongs to a session, not to the message.
     */
    Map<Long, Set<String>> uidFlags() throws IOException {
        Map<Long, Set<String>> flags = new TreeMap<>();
        for (String line : command("UID FETCH 1:* (FLAGS)").untagged()) {
            Matcher fetch = FETCH.matcher(line);
            if (fetch.matches()) {
                flags.put(uidOf(fetch.group(2), line), flagsOf(line));
            }
        }
        return flags;
    }

    /** The subject of every message of the selected mailbox, by UID. */
    Map<Long, String> uidSubjects() throws IOException {
        Map<Long, String> subjects = new TreeMap<>();
        for (String line : command("UID FETCH 1:* (BODY.PEEK[HEADER.FIELDS (SUBJECT)])").untagged()) {
            Matcher fetch = FETCH.matcher(line);
            if (fetch.matches()) {
                Matcher subject = Pattern.compile("(?m)^Subject: (.*?)\r?$").matcher(fetch.group(2));
                subjects.put(uidOf(fetch.group(2), line), subject.find() ? subject.group(1) : null);
            }
        }
        return subjects;
    }

    /** The flags of a FETCH response line, without {@code \Recent}; empty when it has none. */
    static Set<String> flagsOf(String fetchLine) {
        Matcher matcher = FLAGS.matcher(fetchLine);
        Set<String> flags = new LinkedHashSet<>();
        if (matcher.find()) {
            for (String flag : matcher.group(1).trim().split(" +")) {
                if (!flag.isEmpty() && !flag.equalsIgnoreCase("\\Recent")) {
                    flags.add(flag);
                }
            }
        }
        return flags;
    }

    private long uidOf(String fetchItems, String line) {
        Matcher uid = UID.matcher(fetchItems);
        if (!uid.find()) {
            throw new AssertionError(name + " sent a UID FETCH response without UID: " + line);
        }
        return Long.parseLong(uid.group(1));
    }

    /** Mailbox names (as on the wire, modified UTF-7) that {@code LIST "" *} returns. */
    Set<String> list() throws IOException {
        return names(command("LIST \"\" \"*\""));
    }

    /**
     * Every folder that {@code LIST "" *} returns, with the UIDVALIDITY that {@code STATUS} gives
     * it: two servers that show the same map show the same folders, not just the same names.
     */
    Map<String, Long> foldersWithUidValidity() throws IOException {
        Map<String, Long> folders = new TreeMap<>();
        for (String folder : list()) {
            Matcher uidValidity = Pattern.compile("\\bUIDVALIDITY (\\d+)")
                .matcher(String.join("\n", command("STATUS " + quote(folder) + " (UIDVALIDITY)").untagged()));
            if (!uidValidity.find()) {
                throw new AssertionError(name + " sent no UIDVALIDITY for " + folder);
            }
            folders.put(folder, Long.parseLong(uidValidity.group(1)));
        }
        return folders;
    }

    /** Mailbox names that {@code LSUB "" *} returns: the subscriptions. */
    Set<String> lsub() throws IOException {
        return names(command("LSUB \"\" \"*\""));
    }

    private static Set<String> names(Response response) {
        Set<String> names = new TreeSet<>();
        for (String line : response.untagged()) {
            Matcher matcher = LIST.matcher(line);
            if (matcher.matches()) {
                String listed = matcher.group(1);
                names.add(listed.startsWith("\"") ? listed.substring(1, listed.length() - 1).replaceAll("\\\\(.)", "$1") : listed);
            }
        }
        return names;
    }

    /**
     * IDLE until an untagged line matches {@code regex} (fails after {@code timeout}), then DONE.
     * Returns the matching line.
     */
    String idleUntil(String regex, Duration timeout) throws IOException {
        String tag = nextTag();
        writeLine(tag + " IDLE");
        String continuation = readLine();
        if (!continuation.startsWith("+")) {
            throw new AssertionError(name + ": IDLE refused: " + continuation);
        }
        List<String> received = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        String match = null;
        try {
            while (match == null) {
                long leftMillis = (deadline - System.nanoTime()) / 1_000_000;
                if (leftMillis <= 0) {
                    throw new AssertionError(name + ": nothing matching " + regex + " within " + timeout + " of IDLE; got " + received);
                }
                socket.setSoTimeout((int) leftMillis);
                String line;
                try {
                    line = readLine();
                } catch (SocketTimeoutException quiet) {
                    throw new AssertionError(name + ": nothing matching " + regex + " within " + timeout + " of IDLE; got " + received);
                }
                received.add(line);
                match = line.matches(regex) ? line : null;
            }
        } finally {
            socket.setSoTimeout((int) READ_TIMEOUT.toMillis());
        }
        writeLine("DONE");
        readUntilTagged(tag, received);
        return match;
    }

    /**
     * Sends NOOP every 200 ms until one of them brings an untagged line matching {@code regex};
     * fails after {@code timeout}. Returns the matching line.
     */
    String noopUntil(String regex, Duration timeout) throws IOException, InterruptedException {
        List<String> received = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (String line : command("NOOP").untagged()) {
                received.add(line);
                if (line.matches(regex)) {
                    return line;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(name + ": nothing matching " + regex + " after NOOPs for " + timeout + "; got " + received);
            }
            Thread.sleep(200);
        }
    }

    static String quote(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private String nextTag() {
        return "t" + (++tags);
    }

    private Response readUntilTagged(String tag, List<String> untagged) throws IOException {
        while (true) {
            String line = readLine();
            if (line.startsWith(tag + " ")) {
                return new Response(untagged, line);
            }
            untagged.add(line);
        }
    }

    private void writeLine(String line) throws IOException {
        out.write((line + "\r\n").getBytes(ISO_8859_1));
        out.flush();
    }

    /** One response line; a literal at its end is read and appended, with the rest of the line. */
    private String readLine() throws IOException {
        StringBuilder text = new StringBuilder(rawLine());
        Matcher literal = LITERAL.matcher(text);
        while (literal.find()) {
            byte[] bytes = in.readNBytes(Integer.parseInt(literal.group(1)));
            text.append("\r\n").append(new String(bytes, ISO_8859_1));
            String rest = rawLine();
            text.append(rest);
            literal = LITERAL.matcher(rest);
        }
        return text.toString();
    }

    private String rawLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new EOFException(name + " closed the IMAP connection after: " + line.toString(ISO_8859_1));
            }
            line.write(b);
        }
        String text = line.toString(ISO_8859_1);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }

    /**
     * LOGOUT without waiting for the reply (James 3.8.1 has been seen closing before its tagged
     * LOGOUT reply), then closes the socket.
     */
    @Override
    public void close() throws IOException {
        try {
            writeLine(nextTag() + " LOGOUT");
        } catch (IOException alreadyClosed) {
            // nothing to log out from
        } finally {
            socket.close();
        }
    }
}
