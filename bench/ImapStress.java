import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Helper of bench/imap-stress: an IMAP load in the manner of Dovecot's imaptest stress mode,
 * run against any server, that counts commands and checks what each session is told.
 *
 * <pre>java bench/ImapStress.java PORT USER PASSWORD CLIENTS SECONDS CHURN(on|off) SEED LABEL</pre>
 *
 * <h2>The load</h2>
 * CLIENTS sessions of the same user work on the same INBOX at once (first filled to SEED
 * messages). Each goes round a cycle of states, each taken with a probability, as imaptest's
 * default profile does: LIST 50%, FETCH of a range's UID and FLAGS 100%, FETCH of one message's
 * header and ENVELOPE (or, one time in four, its whole body) 100%, SEARCH 30%, COPY of one
 * message into INBOX 33%, STORE of \Seen or a keyword 50%, STORE \Deleted on one message 100%,
 * EXPUNGE 100%, APPEND of a 2 to 4 KB message 100%, STATUS 50%; with CHURN on, LOGOUT ends every
 * cycle and the next starts with a new connection, LOGIN and SELECT (imaptest's default); with
 * CHURN off the session stays selected (imaptest's logout=0). COPY and APPEND are skipped while
 * the folder holds more than twice SEED messages, so its size stays about the same.
 *
 * <h2>What counts as an error</h2>
 * The state of each session is tracked from what the server says to it, as imaptest does, and
 * any of these is one protocol error: a tagged NO or BAD (except {@code NO [EXPUNGEISSUED]},
 * RFC 9051 §7.1, counted apart), an untagged EXPUNGE, FETCH or RECENT whose number is outside the
 * session's message count, EXISTS going down without EXPUNGE, a keyword in FETCH FLAGS that the
 * session was never told of in a FLAGS response (RFC 9051 §7.3.5), a line that is not an IMAP
 * response (framing lost after a literal). A connection that ends without BYE after LOGOUT is a
 * disconnection; the client then starts again with a new connection.
 *
 * <p>Prints one line per run: {@code stress: server=.. clients=.. seconds=.. churn=..
 * commands=.. rate=<cmds/s> logins=.. errors=.. expungeissued=.. disconnections=..}, and the
 * first errors seen on standard error; there too, per kind of command, how many and their mean
 * and largest time from the command's first byte sent to its tagged answer read
 * ({@code stress: kind=.. n=.. mean_ms=.. max_ms=.. share=..}, share being the kind's part of
 * the sessions' summed waiting time: where the cycle's time goes, contention included).
 */
public class ImapStress {

    static final AtomicLong commands = new AtomicLong();
    static final AtomicLong logins = new AtomicLong();
    static final AtomicLong errors = new AtomicLong();
    static final AtomicLong expungeIssued = new AtomicLong();
    static final AtomicLong disconnections = new AtomicLong();
    static final Map<String, Boolean> errorSamples = new ConcurrentHashMap<>();
    static final Map<String, Latency> latencies = new ConcurrentHashMap<>();

    /** One kind of command's count, summed and largest time. */
    static final class Latency {
        final LongAdder count = new LongAdder();
        final LongAdder nanos = new LongAdder();
        final AtomicLong max = new AtomicLong();
    }

    static int port;
    static String user;
    static String password;
    static int seed;

    public static void main(String[] args) throws Exception {
        port = Integer.parseInt(args[0]);
        user = args[1];
        password = args[2];
        int clients = Integer.parseInt(args[3]);
        int seconds = Integer.parseInt(args[4]);
        boolean churn = args[5].equals("on");
        seed = Integer.parseInt(args[6]);
        String label = args[7];

        fill();
        commands.set(0); logins.set(0); errors.set(0); expungeIssued.set(0); disconnections.set(0);
        errorSamples.clear();
        latencies.clear();

        long start = System.nanoTime();
        long end = start + seconds * 1_000_000_000L;
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            long randomSeed = 7919L * (i + 1);
            Thread t = new Thread(() -> new Client(new SplittableRandom(randomSeed), churn).run(end), "client-" + i);
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        errorSamples.keySet().stream().limit(12).forEach(s -> System.err.println("stress: error: " + s));
        printLatencies(label);
        System.out.printf(Locale.ROOT,
            "stress: server=%s clients=%d seconds=%.1f churn=%s commands=%d rate=%.1f logins=%d errors=%d expungeissued=%d disconnections=%d%n",
            label, clients, elapsed, churn ? "on" : "off", commands.get(), commands.get() / elapsed, logins.get(),
            errors.get(), expungeIssued.get(), disconnections.get());
    }

    /** Brings INBOX to SEED messages before the timed run. */
    static void fill() throws IOException {
        Client filler = new Client(new SplittableRandom(1), false);
        filler.connectAndSelect();
        SplittableRandom random = new SplittableRandom(2);
        while (filler.exists < seed) {
            filler.append(random);
        }
        filler.logout();
    }

    static String kind(String command) {
        if (command.startsWith("FETCH")) {
            return command.contains("BODY.PEEK[]") ? "FETCH_BODY" : command.contains("ENVELOPE") ? "FETCH_ENVELOPE" : "FETCH_FLAGS";
        }
        if (command.startsWith("STORE")) {
            return command.contains("\\Deleted") ? "STORE_DELETED" : "STORE_FLAG";
        }
        int space = command.indexOf(' ');
        return space < 0 ? command : command.substring(0, space);
    }

    static void timed(String command, long nanos) {
        Latency l = latencies.computeIfAbsent(kind(command), k -> new Latency());
        l.count.increment();
        l.nanos.add(nanos);
        l.max.accumulateAndGet(nanos, Math::max);
    }

    static void printLatencies(String label) {
        long total = latencies.values().stream().mapToLong(l -> l.nanos.sum()).sum();
        latencies.entrySet().stream()
            .sorted((x, y) -> Long.compare(y.getValue().nanos.sum(), x.getValue().nanos.sum()))
            .forEach(e -> {
                long n = e.getValue().count.sum(), sum = e.getValue().nanos.sum();
                System.err.printf(Locale.ROOT, "stress: server=%s kind=%s n=%d mean_ms=%.2f max_ms=%.1f share=%.3f%n",
                    label, e.getKey(), n, sum / 1e6 / Math.max(1, n), e.getValue().max.get() / 1e6, (double) sum / Math.max(1, total));
            });
    }

    static void error(String what) {
        errors.incrementAndGet();
        if (errorSamples.size() < 50) {
            errorSamples.putIfAbsent(what.length() > 300 ? what.substring(0, 300) + "..." : what, Boolean.TRUE);
        }
    }

    /** One session's view, as RFC 9051 §5.2 and §7.5 define what it may be told. */
    static final class Client {
        private static final Pattern NUMBERED = Pattern.compile("^\\* (\\d+) (EXISTS|RECENT|EXPUNGE|FETCH)\\b(.*)$", Pattern.DOTALL);
        private static final Pattern FLAGS_LIST = Pattern.compile("^\\* FLAGS \\(([^)]*)\\)");
        private static final Pattern FETCH_FLAGS = Pattern.compile("FLAGS \\(([^)]*)\\)");
        private static final Pattern TAGGED = Pattern.compile("^(t\\d+) (OK|NO|BAD)\\b(.*)$", Pattern.DOTALL);

        private final SplittableRandom random;
        private final boolean churn;
        private Socket socket;
        private InputStream in;
        private OutputStream out;
        private int tagCounter;
        int exists;
        private final Set<String> knownKeywords = new HashSet<>();

        Client(SplittableRandom random, boolean churn) {
            this.random = random;
            this.churn = churn;
        }

        void run(long end) {
            while (System.nanoTime() < end) {
                try {
                    if (socket == null) {
                        connectAndSelect();
                    }
                    cycle(end);
                    if (churn && socket != null) {
                        logout();
                    }
                } catch (IOException | RuntimeException e) {
                    disconnections.incrementAndGet();
                    if (errorSamples.size() < 50) {
                        errorSamples.putIfAbsent("disconnected: " + e, Boolean.TRUE);
                    }
                    closeQuietly();
                }
            }
            if (socket != null) {
                try {
                    logout();
                } catch (IOException e) {
                    closeQuietly();
                }
            }
        }

        void connectAndSelect() throws IOException {
            socket = new Socket();
            socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            socket.setSoTimeout(120_000);
            socket.setTcpNoDelay(true);
            in = new BufferedInputStream(socket.getInputStream(), 65536);
            out = socket.getOutputStream();
            String greeting = readResponse();
            if (!greeting.startsWith("* OK")) {
                throw new IOException("greeting: " + greeting);
            }
            command("LOGIN " + quoted(user) + " " + quoted(password));
            logins.incrementAndGet();
            exists = 0;
            knownKeywords.clear();
            command("SELECT INBOX");
        }

        void cycle(long end) throws IOException {
            if (chance(50)) command("LIST \"\" \"*\"");
            if (exists > 0) {
                int from = 1 + random.nextInt(exists);
                int to = Math.min(exists, from + random.nextInt(20));
                command("FETCH " + from + ":" + to + " (UID FLAGS)");
                int one = 1 + random.nextInt(exists);
                command(random.nextInt(4) == 0 ? "FETCH " + one + " (BODY.PEEK[])"
                    : "FETCH " + one + " (UID RFC822.SIZE ENVELOPE BODY.PEEK[HEADER])");
            }
            if (chance(30)) command(random.nextBoolean() ? "SEARCH UNSEEN" : "SEARCH FROM \"sender3\"");
            if (exists > 0 && exists <= 2 * seed && chance(33)) command("COPY " + (1 + random.nextInt(exists)) + " INBOX");
            if (exists > 0 && chance(50)) {
                String flag = random.nextBoolean() ? "\\Seen" : "$Label" + (1 + random.nextInt(3));
                command("STORE " + (1 + random.nextInt(exists)) + (random.nextBoolean() ? " +FLAGS (" : " -FLAGS (") + flag + ")");
            }
            if (exists > 0) command("STORE " + (1 + random.nextInt(exists)) + " +FLAGS.SILENT (\\Deleted)");
            command("EXPUNGE");
            if (exists <= 2 * seed) append(random);
            if (chance(50)) command("STATUS INBOX (MESSAGES UIDNEXT UNSEEN)");
        }

        private boolean chance(int percent) {
            return random.nextInt(100) < percent;
        }

        void append(SplittableRandom r) throws IOException {
            byte[] message = message(r);
            String tag = nextTag();
            long started = System.nanoTime();
            send(tag + " APPEND INBOX {" + message.length + "}\r\n");
            while (true) {
                String response = readResponse();
                if (response.startsWith("+")) break;
                if (response.startsWith(tag + " ")) {
                    commands.incrementAndGet();
                    checkTagged(tag, "APPEND", response);
                    return;
                }
                untagged(response);
            }
            out.write(message);
            send("\r\n");
            finish(tag, "APPEND");
            timed("APPEND", System.nanoTime() - started);
        }

        void logout() throws IOException {
            String tag = nextTag();
            send(tag + " LOGOUT\r\n");
            boolean bye = false;
            try {
                while (true) {
                    String response = readResponse();
                    if (response.startsWith("* BYE")) bye = true;
                    if (response.startsWith(tag + " ")) {
                        commands.incrementAndGet();
                        checkTagged(tag, "LOGOUT", response);
                        break;
                    }
                }
            } catch (EOFException e) {
                if (!bye) throw e;
            }
            closeQuietly();
        }

        private void command(String text) throws IOException {
            String tag = nextTag();
            long started = System.nanoTime();
            send(tag + " " + text + "\r\n");
            finish(tag, text);
            timed(text, System.nanoTime() - started);
        }

        private void finish(String tag, String text) throws IOException {
            while (true) {
                String response = readResponse();
                if (response.startsWith(tag + " ")) {
                    commands.incrementAndGet();
                    checkTagged(tag, text, response);
                    return;
                }
                untagged(response);
            }
        }

        private void checkTagged(String tag, String command, String response) {
            Matcher m = TAGGED.matcher(response);
            if (!m.matches()) {
                error("not a tagged response to " + command + ": " + response);
            } else if (m.group(2).equals("NO") && m.group(3).contains("[EXPUNGEISSUED]")) {
                expungeIssued.incrementAndGet();
            } else if (!m.group(2).equals("OK")) {
                error(command + " -> " + response);
            }
        }

        private void untagged(String response) {
            if (response.startsWith("+")) {
                error("continuation request outside APPEND: " + response);
                return;
            }
            if (!response.startsWith("* ")) {
                error("not an IMAP response (framing lost?): " + response);
                return;
            }
            Matcher flags = FLAGS_LIST.matcher(response);
            if (flags.find()) {
                knownKeywords.clear();
                for (String f : flags.group(1).split(" ")) {
                    if (!f.isEmpty()) knownKeywords.add(f.toLowerCase(Locale.ROOT));
                }
                return;
            }
            Matcher m = NUMBERED.matcher(response);
            if (!m.matches()) return;
            int n = Integer.parseInt(m.group(1));
            switch (m.group(2)) {
                case "EXISTS":
                    if (n < exists) error("EXISTS went down from " + exists + " to " + n + " without EXPUNGE");
                    exists = n;
                    break;
                case "RECENT":
                    if (n > exists) error("RECENT " + n + " with " + exists + " messages");
                    break;
                case "EXPUNGE":
                    if (n < 1 || n > exists) error("EXPUNGE " + n + " with " + exists + " messages");
                    else exists--;
                    break;
                case "FETCH":
                    if (n < 1 || n > exists) error("FETCH " + n + " with " + exists + " messages");
                    Matcher f = FETCH_FLAGS.matcher(m.group(3));
                    if (f.find()) {
                        for (String flag : f.group(1).split(" ")) {
                            if (!flag.isEmpty() && !flag.startsWith("\\") && !knownKeywords.contains(flag.toLowerCase(Locale.ROOT))) {
                                error("keyword " + flag + " in FETCH before any FLAGS response named it");
                            }
                        }
                    }
                    break;
                default:
                    break;
            }
        }

        /**
         * One response: a line, and for each literal it announces ({n} at the end of a line) the n
         * bytes and the rest of the response after them. Literal bytes are replaced by a marker so
         * that the patterns above only see the response's own syntax.
         */
        private String readResponse() throws IOException {
            StringBuilder response = new StringBuilder();
            while (true) {
                String line = readLine();
                response.append(line);
                int open = line.lastIndexOf('{');
                if (line.endsWith("}") && open >= 0) {
                    String digits = line.substring(open + 1, line.length() - 1).replace("+", "");
                    long size;
                    try {
                        size = Long.parseLong(digits);
                    } catch (NumberFormatException e) {
                        return response.toString();
                    }
                    if (size > 64L * 1024 * 1024) throw new IOException("literal of " + size + " bytes");
                    for (long left = size; left > 0; left--) {
                        if (in.read() < 0) throw new EOFException("end of stream inside a literal");
                    }
                    response.append("<literal>");
                    continue;
                }
                return response.toString();
            }
        }

        private String readLine() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream(128);
            int previous = -1;
            while (true) {
                int b = in.read();
                if (b < 0) throw new EOFException("connection closed");
                if (b == '\n' && previous == '\r') {
                    byte[] bytes = line.toByteArray();
                    return new String(bytes, 0, bytes.length - 1, StandardCharsets.ISO_8859_1);
                }
                line.write(b);
                previous = b;
                if (line.size() > 1_000_000) throw new IOException("line over 1 MB");
            }
        }

        private void send(String text) throws IOException {
            out.write(text.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }

        private String nextTag() {
            return "t" + (++tagCounter);
        }

        private void closeQuietly() {
            try {
                if (socket != null) socket.close();
            } catch (IOException ignored) {
                // closing a connection that is already gone
            }
            socket = null;
        }

        private static String quoted(String s) {
            return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        }

        private static byte[] message(SplittableRandom r) {
            int n = r.nextInt(1_000_000);
            StringBuilder m = new StringBuilder(4200);
            m.append("From: Sender ").append(n % 7).append(" <sender").append(n % 7).append("@bench.test>\r\n")
                .append("To: bench@bench.test\r\n")
                .append("Subject: stress message ").append(n).append("\r\n")
                .append("Date: Sun, 06 Dec 2026 12:").append(String.format(Locale.ROOT, "%02d:%02d", n % 60, n / 60 % 60)).append(" +0000\r\n")
                .append("Message-ID: <").append(n).append('.').append(System.nanoTime()).append("@bench.test>\r\n")
                .append("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n");
            int size = 2000 + r.nextInt(2000);
            while (m.length() < size) {
                m.append("Line of a stress message, number ").append(m.length()).append(".\r\n");
            }
            return m.toString().getBytes(StandardCharsets.US_ASCII);
        }
    }
}
