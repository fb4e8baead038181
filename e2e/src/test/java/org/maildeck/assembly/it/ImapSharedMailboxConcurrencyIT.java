package org.maildeck.assembly.it;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Several sessions on one mailbox at once (raw sockets, one thread each), as imaptest's stress
 * profile runs them: a session's responses must stay framed and its commands answered whatever the
 * others do. Every response is checked by {@link FramingChecker}: each literal holds exactly the
 * bytes of a message this class appended (so a literal announced and not delivered shows as a
 * literal made of the following responses), and every untagged response starts with "* ".
 *
 * <p>Each test runs its sessions for {@link #RUN} and fails on the first broken response, refused
 * command or exception, naming it.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ImapSharedMailboxConcurrencyIT {

    private static final String DOMAIN = "concurrency.maildeck.test";
    /**
     * Each workload's window. Its sessions are busy all of it (a command answered, the next sent), so
     * the seven tests take the whole window in server and client CPU: 15 s each made this class
     * the e2e run's largest (114 s of CPU alone, more of the shared cores in CI, where its eight
     * busy threads outweigh the other forks'); 5 s is still 800 to 10,000 rounds per workload
     * (measured on a loaded machine), every response checked.
     */
    private static final Duration RUN = Duration.ofSeconds(5);

    @RegisterExtension
    static final TestServer maildeck = TestServer.shared();

    private static final AtomicInteger MESSAGES = new AtomicInteger();

    @BeforeAll
    static void addTheDomain() {
        maildeck.domain(DOMAIN);
    }

    /** The messages appended, whole, and their headers: what a literal of a FETCH may hold. */
    private static final class Appended {
        final Set<String> wholes = ConcurrentHashMap.newKeySet();
        final Set<String> headers = ConcurrentHashMap.newKeySet();

        byte[] next() {
            int n = MESSAGES.incrementAndGet();
            String header = "From: sender@" + DOMAIN + "\r\nSubject: concurrent " + n + "\r\nMessage-ID: <" + n + "@" + DOMAIN
                + ">\r\nX-Filler: " + "f".repeat(200 + n % 50) + "\r\n\r\n";
            String whole = header + ("line of message " + n + " in its body\r\n").repeat(150);
            headers.add(header);
            wholes.add(whole);
            return whole.getBytes(US_ASCII);
        }
    }

    /** Checks the framing of every response of a command, and that the command was answered as required. */
    private static final class FramingChecker {
        private final Appended appended;
        final Queue<String> failures = new ConcurrentLinkedQueue<>();

        FramingChecker(Appended appended) {
            this.appended = appended;
        }

        /** Records what is wrong with {@code reply} to {@code command}, which must end in OK. */
        void check(String command, ImapWire.Reply reply) {
            if (!reply.isOk()) {
                failures.add(command + " -> " + reply);
            }
            checkFraming(command, reply);
        }

        /** Records what is wrong with the responses to {@code command}, which must be answered, however. */
        void checkFraming(String command, ImapWire.Reply reply) {
            if (reply.tagged() == null) {
                failures.add(command + " -> " + reply);
            }
            for (ImapWire.Response response : reply.untagged()) {
                String text = response.text();
                if (!text.startsWith("* ")) {
                    failures.add(command + ": a response that is not one: " + ImapWire.printable(text));
                }
                if (text.contains("BODY[HEADER]")) {
                    expect(command, response, "BODY[HEADER]", appended.headers);
                }
                if (text.contains("BODY[]")) {
                    expect(command, response, "BODY[]", appended.wholes);
                }
            }
        }

        private void expect(String command, ImapWire.Response response, String item, Set<String> known) {
            String literal = new String(response.literalAfter(item), US_ASCII);
            if (!known.contains(literal)) {
                failures.add(command + ": " + item + " literal is no appended message: "
                    + ImapWire.printable(literal.substring(0, Math.min(200, literal.length()))));
            }
        }

        void assertNone() {
            assertThat(failures).as("broken responses and refused commands").isEmpty();
        }
    }

    /**
     * One session's message count as its own responses set it (EXISTS, EXPUNGE: RFC 9051 §7.4.1,
     * §7.5.1), and the numbers it is given checked against it: a FETCH, EXPUNGE or RECENT beyond
     * the count, or an EXISTS that goes down, is a failure; so is a keyword in FETCH FLAGS that no
     * FLAGS response named first (§7.3.5). This is what imaptest tracks in its stress runs.
     */
    private static final class SessionView {
        private static final Pattern NUMBERED = Pattern.compile("^\\* (\\d+) (EXISTS|RECENT|EXPUNGE|FETCH)\\b");
        private static final Pattern FLAGS = Pattern.compile("FLAGS \\(([^)]*)\\)");
        private final FramingChecker checker;
        private final Set<String> keywords = new java.util.HashSet<>();
        private int exists;

        SessionView(FramingChecker checker) {
            this.checker = checker;
        }

        /** {@code reply} to {@code command}: answered OK, framed, and every number in it within the view. */
        void follow(String command, ImapWire.Reply reply) {
            checker.check(command, reply);
            for (ImapWire.Response response : reply.untagged()) {
                String text = response.text();
                if (text.startsWith("* FLAGS (")) {
                    Matcher flags = FLAGS.matcher(text);
                    keywords.clear();
                    if (flags.find()) {
                        keywords.addAll(Arrays.asList(flags.group(1).toLowerCase().split(" ")));
                    }
                    continue;
                }
                Matcher m = NUMBERED.matcher(text);
                if (!m.lookingAt()) {
                    continue;
                }
                int n = Integer.parseInt(m.group(1));
                switch (m.group(2)) {
                    case "EXISTS" -> {
                        expect(n >= exists, command, "EXISTS " + n + " after " + exists);
                        exists = n;
                    }
                    case "RECENT" -> expect(n <= exists, command, "RECENT " + n + " with " + exists + " messages");
                    case "EXPUNGE" -> {
                        expect(n >= 1 && n <= exists, command, "EXPUNGE " + n + " with " + exists + " messages");
                        exists--;
                    }
                    default -> {
                        expect(n >= 1 && n <= exists, command, "FETCH " + n + " with " + exists + " messages");
                        Matcher flags = FLAGS.matcher(text);
                        if (flags.find()) {
                            for (String flag : flags.group(1).toLowerCase().split(" ")) {
                                expect(flag.isEmpty() || flag.startsWith("\\") || keywords.contains(flag), command,
                                    "keyword " + flag + " in FETCH before a FLAGS response named it");
                            }
                        }
                    }
                }
            }
        }

        int exists() {
            return exists;
        }

        private void expect(boolean holds, String command, String what) {
            if (!holds) {
                checker.failures.add(command + ": " + what);
            }
        }
    }

    private static ImapWire login(String user) throws IOException {
        return ImapWire.login(maildeck.instance(), user, TestServer.PASSWORD);
    }

    /** Runs each session until {@link #RUN} is over; a session's exception is a failure of the test. */
    private static void runTogether(FramingChecker checker, List<Session> sessions) throws Exception {
        long end = System.nanoTime() + RUN.toNanos();
        ExecutorService threads = Executors.newFixedThreadPool(sessions.size());
        try {
            List<Future<?>> running = new ArrayList<>();
            for (Session session : sessions) {
                running.add(threads.submit(() -> {
                    try {
                        while (System.nanoTime() < end && checker.failures.isEmpty()) {
                            session.once();
                        }
                    } catch (Exception | AssertionError e) {
                        checker.failures.add(e.toString());
                    }
                    return null;
                }));
            }
            for (Future<?> session : running) {
                session.get(RUN.toMillis() + 120_000, TimeUnit.MILLISECONDS);
            }
        } finally {
            threads.shutdownNow();
        }
        checker.assertNone();
    }

    @FunctionalInterface
    private interface Session {
        void once() throws IOException;
    }

    /** Appends a message to INBOX. */
    private static Session appender(ImapWire imap, Appended appended, FramingChecker checker) {
        return () -> checker.check("APPEND", imap.append("INBOX", null, appended.next()));
    }

    /** Expunges a few of the INBOX's messages, chosen at random, when it holds more than {@code keep}. */
    private static Session expunger(ImapWire imap, FramingChecker checker, int keep) {
        return () -> {
            ImapWire.Reply search = imap.command("UID SEARCH ALL");
            checker.check("UID SEARCH ALL", search);
            List<String> uids = search.lines("SEARCH").stream()
                .flatMap(line -> Arrays.stream(line.substring("* SEARCH".length()).trim().split(" +")))
                .filter(uid -> !uid.isEmpty()).toList();
            if (uids.size() <= keep) {
                return;
            }
            List<String> chosen = new ArrayList<>(uids);
            Collections.shuffle(chosen, ThreadLocalRandom.current());
            String set = String.join(",", chosen.subList(0, 3));
            checker.check("UID STORE", imap.command("UID STORE " + set + " +FLAGS.SILENT (\\Deleted)"));
            checker.check("UID EXPUNGE", imap.command("UID EXPUNGE " + set));
        };
    }

    private static List<ImapWire> sessions(String user, int count) throws IOException {
        List<ImapWire> sessions = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ImapWire imap = login(user);
            imap.ok("SELECT INBOX");
            sessions.add(imap);
        }
        return sessions;
    }

    private static void seed(ImapWire imap, Appended appended, int count) throws IOException {
        for (int i = 0; i < count; i++) {
            imap.appendOk("INBOX", null, appended.next());
        }
    }

    private static void closeAll(List<ImapWire> sessions) {
        for (ImapWire imap : sessions) {
            try {
                imap.close();
            } catch (Exception ignored) {
                // the test's verdict is already made
            }
        }
    }

    /** What the sessions of a test do, given its sessions (INBOX selected) and the messages seeded. */
    @FunctionalInterface
    private interface Workload {
        List<Session> of(List<ImapWire> sessions, Appended appended, FramingChecker checker) throws IOException;
    }

    /** A new user's INBOX with {@code seeded} messages, {@code count} sessions on it, running {@code workload}. */
    private static void run(String localPart, int count, int seeded, Workload workload) throws Exception {
        String user = maildeck.newUser(localPart, DOMAIN);
        Appended appended = new Appended();
        FramingChecker checker = new FramingChecker(appended);
        List<ImapWire> sessions = sessions(user, count);
        try {
            seed(sessions.get(0), appended, seeded);
            runTogether(checker, workload.of(sessions, appended, checker));
        } finally {
            closeAll(sessions);
        }
    }

    @Test
    void rfc9051_5_2_everyLiteralOfAFetchIsDeliveredWhileOtherSessionsExpunge() throws Exception {
        run("framing", 6, 30, (sessions, appended, checker) -> {
            List<Session> work = new ArrayList<>();
            for (ImapWire fetcher : sessions.subList(0, 3)) {
                work.add(() -> checker.check("UID FETCH", fetcher.command("UID FETCH 1:* (UID BODY.PEEK[HEADER] BODY.PEEK[])")));
            }
            work.add(appender(sessions.get(3), appended, checker));
            work.add(expunger(sessions.get(4), checker, 15));
            work.add(expunger(sessions.get(5), checker, 15));
            return work;
        });
    }

    /**
     * ENVELOPE and BODYSTRUCTURE are read from the file while the response is built, after FETCH
     * listed the messages: one expunged meanwhile is left out of the answer, as for BODY[], and
     * the command and the session go on (it failed the whole FETCH, {@code NO FETCH processing
     * failed}).
     */
    @Test
    void rfc9051_7_5_2_aFetchOfEnvelopesAndStructuresAnswersOkWhileOtherSessionsExpunge() throws Exception {
        run("envelopes", 6, 30, (sessions, appended, checker) -> {
            List<Session> work = new ArrayList<>();
            for (ImapWire fetcher : sessions.subList(0, 3)) {
                work.add(() -> {
                    checker.check("UID FETCH", fetcher.command("UID FETCH 1:* (UID RFC822.SIZE ENVELOPE BODYSTRUCTURE BODY.PEEK[HEADER])"));
                    checker.check("NOOP", fetcher.command("NOOP"));
                });
            }
            work.add(appender(sessions.get(3), appended, checker));
            work.add(expunger(sessions.get(4), checker, 15));
            work.add(expunger(sessions.get(5), checker, 15));
            return work;
        });
    }

    @Test
    void rfc9051_6_4_3_expungeAnswersOkWhileOtherSessionsExpungeTheSameMessages() throws Exception {
        run("expunging", 5, 10, (sessions, appended, checker) -> {
            List<Session> work = new ArrayList<>();
            work.add(appender(sessions.get(0), appended, checker));
            for (ImapWire imap : sessions.subList(1, 5)) {
                work.add(() -> {
                    // BAD when the others have just emptied the mailbox: only its framing matters here.
                    checker.checkFraming("STORE", imap.command("STORE 1:* +FLAGS.SILENT (\\Deleted)"));
                    checker.check("EXPUNGE", imap.command("EXPUNGE"));
                });
            }
            return work;
        });
    }

    @Test
    void rfc9051_5_5_pipelinedCommandsSeeTheMailboxTheirPredecessorsSelected() throws Exception {
        run("pipelining", 3, 5, (sessions, appended, checker) -> {
            sessions.get(0).ok("CREATE Other");
            sessions.get(0).appendOk("Other", null, appended.next());
            List<Session> work = new ArrayList<>();
            for (ImapWire imap : sessions) {
                work.add(() -> {
                    // Sent at once: each command is read while the one before it runs.
                    String[] commands = {"SELECT Other", "FETCH 1:* (UID FLAGS)", "SELECT INBOX", "FETCH 1:* (UID FLAGS)",
                        "EXPUNGE", "UID FETCH 1:* (FLAGS)"};
                    StringBuilder pipeline = new StringBuilder();
                    List<String> tags = new ArrayList<>();
                    for (String command : commands) {
                        String tag = imap.tag();
                        tags.add(tag);
                        pipeline.append(tag).append(' ').append(command).append("\r\n");
                    }
                    imap.write(pipeline.toString().getBytes(US_ASCII));
                    for (int i = 0; i < commands.length; i++) {
                        checker.check("pipelined " + commands[i], imap.awaitTagged(tags.get(i), ImapWire.NORMAL));
                    }
                });
            }
            return work;
        });
    }

    @Test
    void rfc9051_6_4_6_storeAnswersOkWhileOtherSessionsSelectAndCloseTheMailbox() throws Exception {
        run("storing", 8, 10, (sessions, appended, checker) -> {
            List<Session> work = new ArrayList<>();
            for (ImapWire imap : sessions.subList(0, 2)) {
                work.add(() -> {
                    checker.check("STORE +", imap.command("STORE 1:* +FLAGS (\\Flagged)"));
                    checker.check("STORE -", imap.command("STORE 1:* -FLAGS (\\Flagged)"));
                });
            }
            for (ImapWire imap : sessions.subList(2, 8)) {
                // Each SELECT and CLOSE adds and removes a listener of the mailbox's events.
                work.add(() -> {
                    checker.check("SELECT", imap.command("SELECT INBOX"));
                    checker.check("CLOSE", imap.command("CLOSE"));
                });
            }
            return work;
        });
    }

    @Test
    void rfc9051_7_4_1_aSessionIsGivenOnlyMessageNumbersItWasToldOfWhileOthersAppendAndExpunge() throws Exception {
        run("numbering", 6, 20, (sessions, appended, checker) -> {
            List<Session> work = new ArrayList<>();
            for (ImapWire imap : sessions) {
                SessionView view = new SessionView(checker);
                view.follow("SELECT", imap.command("SELECT INBOX"));
                work.add(() -> {
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    if (view.exists() > 0) {
                        int n = 1 + random.nextInt(view.exists());
                        view.follow("FETCH", imap.command("FETCH " + n + ":* (FLAGS)"));
                        if (view.exists() > 15) {
                            view.follow("STORE", imap.command("STORE " + (1 + random.nextInt(view.exists())) + " +FLAGS.SILENT (\\Deleted)"));
                        }
                        view.follow("STORE", imap.command("STORE " + (1 + random.nextInt(view.exists())) + " +FLAGS ($Seen" + random.nextInt(3) + ")"));
                    }
                    view.follow("EXPUNGE", imap.command("EXPUNGE"));
                    if (view.exists() < 40) {
                        view.follow("APPEND", imap.append("INBOX", null, appended.next()));
                    }
                    view.follow("NOOP", imap.command("NOOP"));
                });
            }
            return work;
        });
    }

    @Test
    void rfc9051_6_4_4_searchLeavesOutMessagesOtherSessionsExpungeMeanwhile() throws Exception {
        run("searching", 5, 30, (sessions, appended, checker) -> {
            List<Session> work = new ArrayList<>();
            for (ImapWire imap : sessions.subList(0, 2)) {
                work.add(() -> checker.check("SEARCH", imap.command("SEARCH OR FROM \"sender\" BODY \"line of message\"")));
            }
            work.add(appender(sessions.get(2), appended, checker));
            work.add(expunger(sessions.get(3), checker, 10));
            work.add(expunger(sessions.get(4), checker, 10));
            return work;
        });
    }

    @Test
    void rfc9051_7_4_1_aUidFetchSeesTheMessagesAppendedSinceTheSessionSelected() throws Exception {
        String user = maildeck.newUser("appended-since", DOMAIN);
        Appended appended = new Appended();
        try (ImapWire reader = login(user); ImapWire writer = login(user)) {
            reader.ok("SELECT INBOX");
            for (int i = 0; i < 3; i++) {
                writer.appendOk("INBOX", null, appended.next());
            }

            ImapWire.Reply fetch = reader.command("UID FETCH 1:* (UID)");

            assertThat(fetch.isOk()).as("%s", fetch).isTrue();
            assertThat(fetch.lines()).as("EXISTS, then the three messages").filteredOn(line -> line.startsWith("* "))
                .startsWith("* 3 EXISTS").filteredOn(line -> line.contains(" FETCH ")).hasSize(3);
        }
    }

    @Test
    void rfc9051_7_3_5_aKeywordAnotherSessionSetIsInFlagsBeforeAFetchShowsIt() throws Exception {
        String user = maildeck.newUser("keywords", DOMAIN);
        Appended appended = new Appended();
        try (ImapWire reader = login(user); ImapWire writer = login(user)) {
            writer.appendOk("INBOX", null, appended.next());
            reader.ok("SELECT INBOX");
            writer.ok("SELECT INBOX");
            writer.ok("STORE 1 +FLAGS ($Urgent)");

            List<String> lines = reader.command("FETCH 1 (FLAGS)").lines();

            int flags = indexOf(lines, line -> line.startsWith("* FLAGS (") && line.contains("$Urgent"));
            int fetch = indexOf(lines, line -> line.startsWith("* 1 FETCH") && line.contains("$Urgent"));
            assertThat(fetch).as("the FETCH showing $Urgent in %s", lines).isNotNegative();
            assertThat(flags).as("a FLAGS response naming $Urgent before the FETCH in %s", lines).isNotNegative().isLessThan(fetch);
        }
    }

    @Test
    void rfc9051_7_1_aCopyOfMessagesOthersExpungeMeanwhileAnswersOkOrExpungeIssued() throws Exception {
        run("copying", 5, 30, (sessions, appended, checker) -> {
            sessions.get(0).ok("CREATE Copies");
            List<Session> work = new ArrayList<>();
            for (ImapWire imap : sessions.subList(0, 3)) {
                work.add(() -> {
                    ImapWire.Reply copy = imap.command("COPY 1:10 Copies");
                    if (!copy.isOk() && !String.valueOf(copy.tagged()).contains(" NO [EXPUNGEISSUED] ")) {
                        checker.failures.add("COPY -> " + copy);
                    }
                    checker.checkFraming("COPY", copy);
                    checker.check("NOOP", imap.command("NOOP"));
                });
            }
            work.add(appender(sessions.get(3), appended, checker));
            work.add(expunger(sessions.get(4), checker, 15));
            return work;
        });
    }

    private static int indexOf(List<String> lines, java.util.function.Predicate<String> which) {
        for (int i = 0; i < lines.size(); i++) {
            if (which.test(lines.get(i))) {
                return i;
            }
        }
        return -1;
    }
}
