package org.maildeck.assembly.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_16BE;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Hostile input on the IMAP listener (CVE-2024-37358, IMAP literal abuse, and friends): literals
 * above {@code literalSizeLimit}, lines above {@code maxLineLength}, mailbox names with path
 * tricks and control characters, deep pipelining. Each test talks raw IMAP on its own
 * connections; every read has a deadline and every connection is closed by a watchdog after
 * {@link #CONNECTION_LIFETIME}, so a server that stops reading cannot hang a test. The whole
 * class sends a few MB at most.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 3, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ImapHostileInputIT {

    private static final String DOMAIN = "hostile.test";
    private static final String PASSWORD = TestServer.PASSWORD;
    /** How long a server may take to answer a command it can answer at once. */
    private static final Duration PROMPT = Duration.ofSeconds(5);
    private static final Duration NORMAL = Duration.ofSeconds(30);
    private static final Duration CONNECTION_LIFETIME = Duration.ofMinutes(2);
    /** The literal announced by the oversized-literal tests: 100 MiB, or more if the limit is higher. */
    private static final long HUGE_LITERAL = 100L * 1024 * 1024;

    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "imap-socket-watchdog");
        thread.setDaemon(true);
        return thread;
    });

    @RegisterExtension
    static final TestServer maildeck = TestServer.shared();
    private static MaildeckInstance server;
    private static long literalSizeLimit;
    private static long maxLineLength;

    @BeforeAll
    static void readListenerLimits() throws IOException {
        server = maildeck.instance();
        String imapConf = Files.readString(server.conf().resolve("imapserver.xml"), UTF_8);
        literalSizeLimit = size(imapConf, "literalSizeLimit");
        maxLineLength = size(imapConf, "maxLineLength");
    }

    @AfterAll
    static void stopWatchdog() {
        WATCHDOG.shutdownNow();
    }

    private static String newUser(String localPart) {
        return maildeck.newUser(localPart, DOMAIN);
    }

    private static ImapWire connect() throws IOException {
        return watched(ImapWire.connect(server.port("imap")));
    }

    private static ImapWire login(String user) throws IOException {
        return watched(ImapWire.login(server.port("imap"), user, PASSWORD));
    }

    /** Aborted after {@link #CONNECTION_LIFETIME}: a server that stops reading cannot hang a write of the test. */
    private static ImapWire watched(ImapWire imap) {
        WATCHDOG.schedule(imap::abort, CONNECTION_LIFETIME.toMillis(), TimeUnit.MILLISECONDS);
        return imap;
    }

    private static long announcedHugeLiteral() {
        assertThat(literalSizeLimit).as("literalSizeLimit of the IMAP listener").isPositive().isLessThan(Integer.MAX_VALUE / 2);
        return Math.max(HUGE_LITERAL, literalSizeLimit * 2);
    }

    // ---------------------------------------------------------------- literals above the limit

    @Test
    void synchronisingLiteralAboveTheLimitIsRefusedBeforeTheClientSendsIt() throws Exception {
        String user = newUser("synclit");
        long announced = announcedHugeLiteral();
        ImapWire.Reply refusal;
        ImapWire.Reply followingNoop = null;
        try (ImapWire imap = login(user)) {
            imap.send("b APPEND INBOX {" + announced + "}");
            // The client never sends the literal: the server must answer on the announcement alone.
            refusal = imap.awaitTagged("b", PROMPT);
            if (refusal.tagged() == null && !refusal.closed()) {
                // What the session does next, for the record: where does the next line go?
                imap.send("c NOOP");
                followingNoop = imap.awaitTagged("c", PROMPT);
            }
        }
        boolean serverUsable = loginAndSelectInbox(user);
        note("APPEND {" + announced + "}: " + refusal + (followingNoop == null ? "" : "; after 'c NOOP': " + followingNoop));

        SoftAssertions softly = new SoftAssertions();
        softly.assertThat(refusal.tagged())
            .as("tagged reply to APPEND {%d} (limit %d) without the literal being sent; seen: %s%s", announced,
                literalSizeLimit, refusal, followingNoop == null ? "" : "; after a following 'c NOOP': " + followingNoop)
            .isNotNull()
            .matches("b (NO|BAD) .*");
        softly.assertThat(serverUsable).as("a new connection can LOGIN and SELECT INBOX afterwards").isTrue();
        softly.assertAll();
    }

    @Test
    void nonSynchronisingLiteralAboveTheLimitIsRefusedWithoutBufferingIt() throws Exception {
        String user = newUser("nonsynclit");
        long announced = announcedHugeLiteral();
        ImapWire.Reply afterFewKb;
        String afterMore = null;
        try (ImapWire imap = login(user)) {
            byte[] fewKb = filler(4 * 1024);
            imap.write(concat(("b APPEND INBOX {" + announced + "+}\r\n").getBytes(US_ASCII), fewKb));
            afterFewKb = imap.awaitTagged("b", PROMPT);
            if (afterFewKb.tagged() == null && !afterFewKb.closed()) {
                afterMore = bufferingEvidence(imap, "b");
            }
        }
        boolean serverUsable = loginAndSelectInbox(user);
        note("APPEND {" + announced + "+} and 4 KB: " + afterFewKb + (afterMore == null ? "" : "; then " + afterMore));

        SoftAssertions softly = new SoftAssertions();
        softly.assertThat(afterFewKb.tagged() != null || afterFewKb.closed())
            .as("after APPEND {%d+} (limit %d) and 4 KB of it, a tagged error or a closed connection; seen: %s%s",
                announced, literalSizeLimit, afterFewKb, afterMore == null ? "" : "; then " + afterMore)
            .isTrue();
        if (afterFewKb.tagged() != null) {
            softly.assertThat(afterFewKb.tagged()).as("reply to the oversized APPEND").matches("b (NO|BAD) .*");
        }
        softly.assertThat(serverUsable).as("a new connection can LOGIN and SELECT INBOX afterwards").isTrue();
        softly.assertAll();
    }

    /** The CVE's unauthenticated vector: the same literal, in LOGIN, before any authentication. */
    @Test
    void literalAboveTheLimitBeforeLoginIsRefusedWithoutBufferingIt() throws Exception {
        String user = newUser("preauth");
        long announced = announcedHugeLiteral();
        ImapWire.Reply refusal;
        String afterMore = null;
        try (ImapWire imap = connect()) {
            imap.send("a LOGIN {" + announced + "}");
            refusal = imap.awaitTagged("a", PROMPT);
            if (refusal.tagged() == null && !refusal.closed()) {
                afterMore = bufferingEvidence(imap, "a");
            }
        }
        boolean serverUsable = loginAndSelectInbox(user);
        note("before login, LOGIN {" + announced + "}: " + refusal + (afterMore == null ? "" : "; then " + afterMore));

        SoftAssertions softly = new SoftAssertions();
        softly.assertThat(refusal.tagged() != null || refusal.closed())
            .as("before login, LOGIN {%d} (limit %d) gets a tagged error or a closed connection without the literal being sent; seen: %s%s",
                announced, literalSizeLimit, refusal, afterMore == null ? "" : "; then " + afterMore)
            .isTrue();
        if (refusal.tagged() != null) {
            softly.assertThat(refusal.tagged()).as("reply to the oversized LOGIN").matches("a (NO|BAD) .*");
        }
        softly.assertThat(serverUsable).as("a new connection can LOGIN and SELECT INBOX afterwards").isTrue();
        softly.assertAll();
    }

    /**
     * Called when the server has neither answered nor closed after a refused literal: sends four
     * times maxLineLength more without a line end (which a line-framed session discards), then
     * ends the line, and says what the server did meanwhile.
     */
    private static String bufferingEvidence(ImapWire imap, String tag) throws IOException {
        long more = 4 * maxLineLength;
        try {
            imap.write(filler((int) more));
        } catch (IOException e) {
            return "writing " + more + " more bytes failed: " + e;
        }
        ImapWire.Reply silent = imap.awaitTagged(tag, Duration.ofSeconds(2));
        if (silent.tagged() != null || silent.closed()) {
            return "after " + more + " more bytes without a line end: " + silent;
        }
        imap.send("");
        ImapWire.Reply afterLineEnd = imap.awaitTagged(tag, PROMPT);
        return "the server kept reading " + more + " more bytes (4 x maxLineLength) without a line end, silent and"
            + " open (" + silent + "), i.e. held them; after a CRLF: " + afterLineEnd;
    }

    // ---------------------------------------------------------------- line length

    @Test
    void lineLongerThanMaxLineLengthIsRefusedAndOtherConnectionsAreServed() throws Exception {
        String user = newUser("longline");
        int length = (int) Math.max(200 * 1024, 3 * maxLineLength);
        ImapWire.Reply duringLine;
        boolean othersServed;
        ImapWire.Reply afterLineEnd = null;
        ImapWire.Reply nextCommand = null;
        try (ImapWire imap = login(user)) {
            imap.write(concat("t NOOP ".getBytes(US_ASCII), filler(length)));
            duringLine = imap.awaitTagged("t", Duration.ofSeconds(2));

            // While that line is pending (or refused), the server serves another connection.
            othersServed = loginAndSelectInbox(user);

            if (!duringLine.closed()) {
                imap.send("");
                afterLineEnd = imap.awaitTagged("t", PROMPT);
                if (!afterLineEnd.closed()) {
                    imap.send("u NOOP");
                    nextCommand = imap.awaitTagged("u", PROMPT);
                }
            }
        }

        String record = "while the " + length + "-byte line was sent: " + duringLine
            + (afterLineEnd == null ? "" : "; after its CRLF: " + afterLineEnd)
            + (nextCommand == null ? "" : "; then 'u NOOP': " + nextCommand);
        note(record);
        SoftAssertions softly = new SoftAssertions();
        softly.assertThat(othersServed).as("another connection can LOGIN and SELECT INBOX (%s)", record).isTrue();
        ImapWire.Reply refusal = afterLineEnd == null ? duringLine : afterLineEnd;
        softly.assertThat(refusal.closed() || refusal.lines().stream().anyMatch(line -> line.matches("(\\*|t) BAD .*")))
            .as("the over-long line is answered with BAD or a closed connection (%s)", record)
            .isTrue();
        softly.assertThat(refusal.tagged() == null || !refusal.tagged().startsWith("t OK"))
            .as("the over-long command is not executed (%s)", record)
            .isTrue();
        if (nextCommand != null && !nextCommand.closed()) {
            softly.assertThat(nextCommand.tagged()).as("the session goes on after the refused line (%s)", record)
                .isEqualTo("u OK NOOP completed.");
        }
        softly.assertAll();
    }

    // ---------------------------------------------------------------- limits not too tight

    @Test
    void appendOfAOneMegabyteMessageWithinTheLimitsIsStoredAndFetchable() throws Exception {
        String user = newUser("bigappend");
        byte[] message = oneMegabyteMessage(user);
        assertThat((long) message.length).isGreaterThan(1024 * 1024).isLessThan(literalSizeLimit);

        try (ImapWire imap = login(user)) {
            imap.send("b APPEND INBOX {" + message.length + "}");
            ImapWire.Response continuation = imap.next(NORMAL);
            assertThat(continuation).as("continuation request for a %d-byte literal", message.length).isNotNull();
            assertThat(continuation.text()).as("continuation request").startsWith("+");
            imap.write(concat(message, "\r\n".getBytes(US_ASCII)));
            ImapWire.Reply append = imap.awaitTagged("b", NORMAL);
            assertThat(append.tagged()).as("APPEND of %d bytes: %s", message.length, append).startsWith("b OK");

            imap.ok("SELECT INBOX");
            ImapWire.Reply fetch = imap.ok("FETCH 1 (RFC822.SIZE BODY.PEEK[])");
            ImapWire.Response fetched = fetch.untagged().stream().filter(r -> r.text().startsWith("* 1 FETCH")).findFirst()
                .orElseThrow(() -> new AssertionError("no FETCH response in " + fetch));
            assertThat(fetched.text()).contains("RFC822.SIZE " + message.length);
            assertThat(fetched.literals()).as("literals of %s", fetched.text()).hasSize(1);
            assertThat(Arrays.equals(fetched.literals().get(0), message)).as("BODY[] equals the appended bytes").isTrue();
        }
    }

    private static byte[] oneMegabyteMessage(String user) {
        StringBuilder text = new StringBuilder()
            .append("From: sender@client.test\r\n")
            .append("To: ").append(user).append("\r\n")
            .append("Subject: one megabyte ").append(UUID.randomUUID()).append("\r\n")
            .append("Message-ID: <").append(UUID.randomUUID()).append("@client.test>\r\n")
            .append("MIME-Version: 1.0\r\n")
            .append("Content-Type: text/plain; charset=us-ascii\r\n")
            .append("\r\n");
        for (int line = 0; text.length() < 1100 * 1024; line++) {
            text.append(String.format("%08d ", line)).append("0123456789abcdefghijklmnopqrstuvwxyz".repeat(2)).append("\r\n");
        }
        return text.toString().getBytes(US_ASCII);
    }

    // ---------------------------------------------------------------- mailbox names

    @Test
    void mailboxNamesWithPathTricksAreRefusedOrKeptAsLiteralNamesOfTheirOwner() throws Exception {
        String owner = newUser("names");
        String other = newUser("neighbour");
        Map<String, byte[]> attempts = new LinkedHashMap<>();
        attempts.put("../escape", null);
        attempts.put("a/../../b", null);
        attempts.put("%2e%2e", null);
        attempts.put("%2e%2e/escape", null);
        attempts.put("x\0nul", "x\0nul".getBytes(ISO_8859_1));
        attempts.put("x\r\ncrlf", "x\r\ncrlf".getBytes(ISO_8859_1));
        attempts.put("x\rcr", "x\rcr".getBytes(ISO_8859_1));
        attempts.put("x\nlf", "x\nlf".getBytes(ISO_8859_1));

        Set<String> otherBefore = listNames(other);
        Map<String, String> replies = new LinkedHashMap<>();
        Set<String> created = new LinkedHashSet<>();
        Set<String> ownerBefore;
        Set<String> ownerAfter;
        List<String> ownerListLines;
        try (ImapWire imap = login(owner)) {
            ownerBefore = decodedNames(imap.ok("LIST \"\" \"*\""));
            int n = 0;
            for (Map.Entry<String, byte[]> attempt : attempts.entrySet()) {
                String tag = "c" + n++;
                ImapWire.Reply reply;
                if (attempt.getValue() == null) {
                    imap.send(tag + " CREATE \"" + attempt.getKey() + "\"");
                    reply = imap.awaitTagged(tag, NORMAL);
                } else {
                    imap.send(tag + " CREATE {" + attempt.getValue().length + "}");
                    ImapWire.Response continuation = imap.next(NORMAL);
                    assertThat(continuation).as("continuation for CREATE of %s", printable(attempt.getKey())).isNotNull();
                    if (continuation.text().startsWith("+")) {
                        imap.write(concat(attempt.getValue(), "\r\n".getBytes(US_ASCII)));
                        reply = imap.awaitTagged(tag, NORMAL);
                    } else {
                        reply = new ImapWire.Reply(List.of(), continuation.text(), false);
                    }
                }
                assertThat(reply.tagged()).as("tagged reply to CREATE %s: %s", printable(attempt.getKey()), reply).isNotNull();
                replies.put(attempt.getKey(), reply.tagged());
                if (reply.tagged().startsWith(tag + " OK")) {
                    created.add(attempt.getKey());
                } else {
                    assertThat(reply.tagged()).as("CREATE %s", printable(attempt.getKey())).matches(tag + " (NO|BAD) .*");
                }
            }
            ImapWire.Reply list = imap.ok("LIST \"\" \"*\"");
            ownerListLines = list.lines();
            ownerAfter = decodedNames(list);
        }
        Set<String> otherAfter = listNames(other);

        String record = "replies " + printable(replies.toString()) + "; owner's LIST " + printable(ownerListLines.toString());
        note(record);
        Set<String> expected = new LinkedHashSet<>(ownerBefore);
        expected.addAll(created);
        assertThat(ownerAfter).as("the owner's mailboxes are the ones before plus exactly the names created (%s)", record)
            .containsExactlyInAnyOrderElementsOf(expected);
        assertThat(ownerListLines).as("LIST lines carry no raw control characters (%s)", record)
            .allSatisfy(line -> assertThat(line).doesNotContainPattern("[\\x00-\\x1f]"));
        assertThat(otherAfter).as("another user's LIST is unchanged (%s)", record).containsExactlyInAnyOrderElementsOf(otherBefore);
        assertThat(otherAfter).as("another user's LIST shows none of the attempted names (%s)", record)
            .doesNotContainAnyElementsOf(attempts.keySet());
    }

    private static Set<String> listNames(String user) throws IOException {
        try (ImapWire imap = login(user)) {
            return decodedNames(imap.ok("LIST \"\" \"*\""));
        }
    }

    private static final Pattern LIST_LINE = Pattern.compile("\\* LIST \\([^)]*\\) (?:NIL|\"(?:[^\"\\\\]|\\\\.)*\") (.*)");

    /** The mailbox names of a LIST reply, unquoted and decoded from modified UTF-7 (RFC 3501 5.1.3). */
    private static Set<String> decodedNames(ImapWire.Reply list) {
        Set<String> names = new LinkedHashSet<>();
        for (ImapWire.Response response : list.untagged()) {
            Matcher matcher = LIST_LINE.matcher(response.text());
            if (!matcher.matches()) {
                continue;
            }
            String raw = matcher.group(1);
            String name;
            if (raw.matches("\\{\\d+\\}") && response.literals().size() == 1) {
                name = new String(response.literals().get(0), US_ASCII);
            } else if (raw.startsWith("\"") && raw.endsWith("\"")) {
                name = raw.substring(1, raw.length() - 1).replaceAll("\\\\(.)", "$1");
            } else {
                name = raw;
            }
            names.add(decodeModifiedUtf7(name));
        }
        return names;
    }

    static String decodeModifiedUtf7(String encoded) {
        StringBuilder decoded = new StringBuilder();
        int i = 0;
        while (i < encoded.length()) {
            char c = encoded.charAt(i);
            if (c != '&') {
                decoded.append(c);
                i++;
                continue;
            }
            int end = encoded.indexOf('-', i);
            if (end < 0) {
                throw new AssertionError("bad modified UTF-7 in mailbox name " + encoded);
            }
            if (end == i + 1) {
                decoded.append('&');
            } else {
                byte[] utf16 = Base64.getDecoder().decode(encoded.substring(i + 1, end).replace(',', '/'));
                decoded.append(new String(utf16, UTF_16BE));
            }
            i = end + 1;
        }
        return decoded.toString();
    }

    private static String printable(String text) {
        return text.replace("\0", "\\0").replace("\r", "\\r").replace("\n", "\\n");
    }

    // ---------------------------------------------------------------- nesting

    @Test
    void twoThousandNestedParenthesesAreAnsweredBadAndTheSessionGoesOn() throws Exception {
        String user = newUser("nesting");
        int depth = 2000;
        ImapWire.Reply search;
        ImapWire.Reply next;
        try (ImapWire imap = login(user)) {
            imap.ok("SELECT INBOX");
            imap.send("n SEARCH " + "(".repeat(depth) + "ALL" + ")".repeat(depth));
            search = imap.awaitTagged("n", PROMPT);
            imap.send("m NOOP");
            next = imap.awaitTagged("m", PROMPT);
        }
        note("SEARCH nested " + depth + " deep: " + search + "; then 'm NOOP': " + next);

        SoftAssertions softly = new SoftAssertions();
        softly.assertThat(search.tagged()).as("reply to SEARCH nested %d deep: %s", depth, search).isNotNull().startsWith("n BAD ");
        softly.assertThat(next.tagged()).as("the session goes on: %s", next).isEqualTo("m OK NOOP completed.");
        softly.assertThat(server.serverLog()).as("server log").doesNotContain("StackOverflowError");
        softly.assertAll();
    }

    /** imaptest's name of every printable character that may stand for itself, with a lone {@code &}. */
    private static final String NOT_MODIFIED_UTF7 = "\"!#$&'+,-.0123456789:;<=>?@^_`|}\"";

    @Test
    void selectOfANameThatIsNotModifiedUtf7IsAnsweredNoAndTheSessionGoesOn() throws Exception {
        String user = newUser("utf7select");
        ImapWire.Reply select;
        ImapWire.Reply next;
        try (ImapWire imap = login(user)) {
            imap.send("s SELECT " + NOT_MODIFIED_UTF7);
            select = imap.awaitTagged("s", PROMPT);
            imap.send("m NOOP");
            next = imap.awaitTagged("m", PROMPT);
        }

        SoftAssertions softly = new SoftAssertions();
        softly.assertThat(select.tagged()).as("reply to SELECT: %s", select).isNotNull().startsWith("s NO ");
        softly.assertThat(next.tagged()).as("the session goes on: %s", next).isEqualTo("m OK NOOP completed.");
        softly.assertAll();
    }

    @Test
    void createOfANameThatIsNotModifiedUtf7IsAnsweredNoAndNothingIsCreated() throws Exception {
        String user = newUser("utf7create");
        ImapWire.Reply create;
        try (ImapWire imap = login(user)) {
            imap.send("c CREATE " + NOT_MODIFIED_UTF7);
            create = imap.awaitTagged("c", PROMPT);
        }

        assertThat(create.tagged()).as("reply to CREATE: %s", create).isNotNull().startsWith("c NO ");
        assertThat(listNames(user)).noneMatch(name -> name.contains("0123456789"));
    }

    // ---------------------------------------------------------------- pipelining

    @Test
    void thousandPipelinedNoopsAllGetTaggedOkAndTheSessionContinues() throws Exception {
        String user = newUser("pipeline");
        int count = 1000;
        try (ImapWire imap = login(user)) {
            StringBuilder commands = new StringBuilder();
            for (int i = 0; i < count; i++) {
                commands.append('n').append(i).append(" NOOP\r\n");
            }
            imap.write(commands.toString().getBytes(US_ASCII));

            List<String> tagged = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                ImapWire.Reply reply = imap.awaitTagged("n" + i, NORMAL);
                assertThat(reply.tagged()).as("reply %d of %d pipelined NOOPs (%s)", i, count, reply).isNotNull();
                tagged.add(reply.tagged());
            }
            assertThat(tagged).as("tagged replies in order")
                .allSatisfy(line -> assertThat(line).matches("n\\d+ OK NOOP completed\\."));
            for (int i = 0; i < count; i++) {
                assertThat(tagged.get(i)).startsWith("n" + i + " ");
            }
            imap.ok("SELECT INBOX");
            imap.ok("NOOP");
        }
    }

    // ---------------------------------------------------------------- afterwards

    @Test
    @Order(Integer.MAX_VALUE)
    void serverSurvivesTheHostileInputWithoutOutOfMemoryError() throws Exception {
        String user = newUser("survivor");
        assertThat(ProcessHandle.of(server.pid()).map(ProcessHandle::isAlive)).as("server process alive").contains(true);
        assertThat(loginAndSelectInbox(user)).as("a new connection can LOGIN and SELECT INBOX").isTrue();
        assertThat(server.serverLog()).as("server log").doesNotContain("OutOfMemoryError");
    }

    // ---------------------------------------------------------------- helpers

    /** What the server did with one hostile input, in the test output for the record. */
    private static void note(String what) {
        System.out.println("[ImapHostileInputIT] " + what);
    }

    private static boolean loginAndSelectInbox(String user) {
        try (ImapWire imap = login(user)) {
            imap.ok("SELECT INBOX");
            // Not waited for: under load James 3.8.1 has been seen closing the connection before
            // its tagged LOGOUT reply, which says nothing about whether it serves connections.
            imap.send("o LOGOUT");
            return true;
        } catch (IOException | AssertionError e) {
            return false;
        }
    }

    private static byte[] filler(int length) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) 'x');
        return bytes;
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }

    /** A size element of imapserver.xml (first listener), with James's K/M/G suffixes. */
    private static long size(String xml, String element) {
        Matcher matcher = Pattern.compile("<" + element + ">\\s*(\\d+)\\s*([KMG]?)\\s*</" + element + ">").matcher(xml);
        assertThat(matcher.find()).as("<%s> in imapserver.xml", element).isTrue();
        long value = Long.parseLong(matcher.group(1));
        switch (matcher.group(2)) {
            case "K": return value * 1024;
            case "M": return value * 1024 * 1024;
            case "G": return value * 1024 * 1024 * 1024;
            default: return value;
        }
    }
}
