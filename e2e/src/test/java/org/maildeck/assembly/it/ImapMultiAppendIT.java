package org.maildeck.assembly.it;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * MULTIAPPEND (RFC 3502): several messages in one APPEND, all kept or none, with every UID in
 * the APPENDUID answer (RFC 4315 §3). Each test has a user of its own on the shared server.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ImapMultiAppendIT {

    private static final String DOMAIN = "multiappend.maildeck.test";
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("dd-MMM-yyyy HH:mm:ss Z", Locale.ENGLISH);
    private static final Pattern FETCHED = Pattern.compile("UID (\\d+)|FLAGS \\(([^)]*)\\)|INTERNALDATE \"([^\"]*)\"");

    @RegisterExtension
    static final TestServer maildeck = TestServer.shared();

    /** One message of a MULTIAPPEND: its flag list (without parentheses), date-time and bytes. */
    private record Message(String flags, String date, byte[] bytes) {
        String prefix() {
            return "(" + flags + ") \"" + date + "\" ";
        }
    }

    private static final List<Message> THREE = List.of(
        new Message("\\Seen", "01-Feb-2021 10:11:12 +0100", message("first", "Line one.\r\n")),
        new Message("\\Flagged \\Draft", "15-Mar-2022 23:59:59 -0500", message("second", "Two\r\n\r\nparagraphs.\r\n")),
        new Message("", "31-Dec-2023 00:00:01 +0000", message("third", "Tabs\tand  spaces \r\n.\r\n")));

    private static byte[] message(String subject, String body) {
        return ("From: sender@" + DOMAIN + "\r\nSubject: " + subject + "\r\nMessage-ID: <" + subject + "@" + DOMAIN + ">\r\n\r\n"
            + body).getBytes(US_ASCII);
    }

    private static ImapWire login(String user) throws IOException {
        return ImapWire.login(maildeck.instance(), user, TestServer.PASSWORD);
    }

    /** {@code APPEND mailbox <message 1> <message 2> ...}, each literal sent once continued. */
    private static ImapWire.Reply multiAppend(ImapWire imap, String mailbox, List<Message> messages) throws IOException {
        List<String> texts = new ArrayList<>();
        texts.add("APPEND " + ImapWire.quote(mailbox) + " " + messages.get(0).prefix());
        for (Message next : messages.subList(1, messages.size())) {
            texts.add(" " + next.prefix());
        }
        texts.add("");
        return imap.commandWithLiterals(texts, messages.stream().map(Message::bytes).toList());
    }

    private static long messagesIn(ImapWire imap, String mailbox) throws IOException {
        return imap.ok("STATUS " + ImapWire.quote(mailbox) + " (MESSAGES)").lines("STATUS").stream()
            .map(line -> Pattern.compile("MESSAGES (\\d+)").matcher(line)).filter(Matcher::find)
            .map(found -> Long.parseLong(found.group(1))).findFirst().orElseThrow();
    }

    /** The UIDs of {@code [APPENDUID uidvalidity uid-set]}, a uid-set of single UIDs and ranges. */
    private static List<Long> appendedUids(ImapWire.Reply reply) {
        String[] code = reply.codeText("APPENDUID").orElseThrow(() -> new AssertionError("no APPENDUID in " + reply)).split(" ");
        List<Long> uids = new ArrayList<>();
        for (String part : code[1].split(",")) {
            String[] range = part.split(":");
            for (long uid = Long.parseLong(range[0]); uid <= Long.parseLong(range[range.length - 1]); uid++) {
                uids.add(uid);
            }
        }
        return uids;
    }

    @Test
    void rfc3502_6_3_11_threeMessagesInOneAppendAreAllAppended() throws IOException {
        String user = maildeck.newUser("three", DOMAIN);
        try (ImapWire imap = login(user)) {
            imap.ok("CREATE Multi");

            ImapWire.Reply reply = multiAppend(imap, "Multi", THREE);

            assertThat(reply.isOk()).as("%s", reply).isTrue();
            assertThat(messagesIn(imap, "Multi")).isEqualTo(3);
        }
    }

    @Test
    void rfc4315_3_appendUidOfAMultiappendListsEveryUid() throws IOException {
        String user = maildeck.newUser("uids", DOMAIN);
        try (ImapWire imap = login(user)) {
            imap.ok("CREATE Multi");
            long uidValidity = imap.ok("SELECT Multi").code("UIDVALIDITY").orElseThrow();
            imap.ok("CLOSE");

            ImapWire.Reply reply = multiAppend(imap, "Multi", THREE);

            assertThat(reply.codeText("APPENDUID")).as("%s", reply).isPresent();
            assertThat(reply.codeText("APPENDUID").get()).startsWith(uidValidity + " ");
            assertThat(appendedUids(reply)).hasSize(3).doesNotHaveDuplicates().isSorted();
            ImapWire.Reply uids = imap.ok("EXAMINE Multi");
            assertThat(imap.ok("UID SEARCH ALL").searched()).isEqualTo(appendedUids(reply));
            assertThat(uids.isOk()).isTrue();
        }
    }

    @Test
    void rfc3502_6_3_11_eachMessageIsStoredAsSentWithItsFlagsAndDate() throws IOException {
        String user = maildeck.newUser("assent", DOMAIN);
        try (ImapWire imap = login(user)) {
            imap.ok("CREATE Multi");
            List<Long> uids = appendedUids(multiAppend(imap, "Multi", THREE));
            imap.ok("EXAMINE Multi");

            for (int i = 0; i < THREE.size(); i++) {
                Message sent = THREE.get(i);
                ImapWire.Response fetched = imap.ok("UID FETCH " + uids.get(i) + " (FLAGS INTERNALDATE BODY.PEEK[])")
                    .responses("FETCH").get(0);
                assertThat(fetched.literalAfter("BODY[]")).as("message %d", i + 1).isEqualTo(sent.bytes());
                assertThat(flags(fetched.text())).as("flags of message %d", i + 1)
                    .containsExactlyInAnyOrder(sent.flags().isEmpty() ? new String[0] : sent.flags().split(" "));
                assertThat(ZonedDateTime.parse(item(fetched.text(), 3), DATE_TIME).toInstant()).as("date of message %d", i + 1)
                    .isEqualTo(ZonedDateTime.parse(sent.date(), DATE_TIME).toInstant());
            }
        }
    }

    private static String item(String fetch, int group) {
        Matcher matcher = FETCHED.matcher(fetch);
        while (matcher.find()) {
            if (matcher.group(group) != null) {
                return matcher.group(group);
            }
        }
        throw new AssertionError("not in " + fetch);
    }

    /** The flags of a FETCH, without \Recent (which the session is given, not the client). */
    private static List<String> flags(String fetch) {
        return List.of(item(fetch, 2).split(" ")).stream().filter(flag -> !flag.isEmpty() && !flag.equals("\\Recent")).toList();
    }

    @Test
    void rfc3502_3_whenOneMessageCannotBeAppendedNoneIsKeptAndTheAnswerIsNo() throws IOException {
        String user = maildeck.newUser("overquota", DOMAIN);
        AdminRequests.setQuota(maildeck.instance(), user, 2, 100L * 1024 * 1024);
        try (ImapWire imap = login(user)) {

            ImapWire.Reply reply = multiAppend(imap, "INBOX", THREE);

            assertThat(reply.tagged()).as("%s", reply).matches("\\S+ NO .*");
            assertThat(messagesIn(imap, "INBOX")).as("messages kept").isZero();
        }
    }

    @Test
    void rfc3502_6_3_11_aMalformedSecondMessageIsBadKeepsNoneAndTheSessionGoesOn() throws IOException {
        String user = maildeck.newUser("malformed", DOMAIN);
        List<Message> badDate = List.of(THREE.get(0), new Message("\\Seen", "99-Xyz-2021 25:61:61 +0100", THREE.get(1).bytes()),
            THREE.get(2));
        try (ImapWire imap = login(user)) {
            imap.ok("CREATE Multi");

            ImapWire.Reply reply = multiAppend(imap, "Multi", badDate);

            assertThat(reply.tagged()).as("%s", reply).matches("\\S+ BAD .*");
            assertThat(imap.ok("NOOP").tagged()).as("the next command").matches("\\S+ OK .*");
            assertThat(messagesIn(imap, "Multi")).as("messages kept").isZero();
        }
    }

    @Test
    void rfc3502_6_3_11_aSecondLiteralOverTheSizeLimitIsRefusedAndNoneIsKept() throws IOException {
        String user = maildeck.newUser("toobig", DOMAIN);
        try (ImapWire imap = login(user)) {
            imap.ok("CREATE Multi");
            String tag = imap.tag();
            imap.send(tag + " APPEND Multi {" + THREE.get(0).bytes().length + "}");
            assertThat(imap.next(ImapWire.NORMAL).text()).startsWith("+");
            imap.write(THREE.get(0).bytes());
            imap.send(" {" + (64L * 1024 * 1024) + "}");

            ImapWire.Reply reply = imap.awaitTagged(tag, ImapWire.NORMAL);

            assertThat(reply.tagged()).as("%s", reply).matches("\\S+ BAD \\[TOOBIG\\] .*");
        }
        try (ImapWire imap = login(user)) {
            assertThat(messagesIn(imap, "Multi")).as("messages kept").isZero();
        }
    }

    /** Over inMemorySizeLimit (1 MiB): the command is spooled to disk whole, every message in it. */
    private static final byte[] LARGE = message("large", ("x".repeat(76) + "\r\n").repeat(20_000)); // 1.5 MiB
    private static final Duration SPOOL_CLEANUP = Duration.ofSeconds(5);

    @Test
    void rfc3502_6_3_11_aFirstMessageOverTheInMemoryLimitAndASecondOneAreBothAppended() throws Exception {
        String user = maildeck.newUser("spooled", DOMAIN);
        byte[] second = THREE.get(1).bytes();
        try (ImapWire imap = login(user)) {
            imap.ok("CREATE Multi");

            ImapWire.Reply reply = multiAppend(imap, "Multi",
                List.of(new Message("", "01-Feb-2021 10:11:12 +0100", LARGE), new Message("\\Seen", "01-Feb-2021 10:11:13 +0100", second)));

            assertThat(reply.isOk()).as("%s", reply).isTrue();
            List<Long> uids = appendedUids(reply);
            assertThat(uids).as("APPENDUID of %s", reply).hasSize(2);
            imap.ok("EXAMINE Multi");
            assertThat(imap.ok("UID FETCH " + uids.get(0) + " BODY.PEEK[]").responses("FETCH").get(0).literalAfter("BODY[]"))
                .as("the large first message").isEqualTo(LARGE);
            assertThat(imap.ok("UID FETCH " + uids.get(1) + " BODY.PEEK[]").responses("FETCH").get(0).literalAfter("BODY[]"))
                .as("the second message").isEqualTo(second);
            assertThat(messagesIn(imap, "Multi")).isEqualTo(2);
        }
        assertThat(maildeck.instance().imapSpoolFilesLeft(SPOOL_CLEANUP)).as("spooled commands left").isEmpty();
    }

    @Test
    void rfc3502_3_anOverSizeSecondMessageAfterASpooledFirstKeepsNone() throws Exception {
        String user = maildeck.newUser("spooledtoobig", DOMAIN);
        try (ImapWire imap = login(user)) {
            imap.ok("CREATE Multi");
            String tag = imap.tag();
            imap.send(tag + " APPEND Multi {" + LARGE.length + "}");
            assertThat(imap.next(ImapWire.NORMAL).text()).startsWith("+");
            imap.write(LARGE);
            imap.send(" {" + (64L * 1024 * 1024) + "}");

            ImapWire.Reply reply = imap.awaitTagged(tag, ImapWire.NORMAL);

            assertThat(reply.tagged()).as("%s", reply).matches("\\S+ BAD \\[TOOBIG\\] .*");
        }
        try (ImapWire imap = login(user)) {
            assertThat(messagesIn(imap, "Multi")).as("messages kept").isZero();
        }
        assertThat(maildeck.instance().imapSpoolFilesLeft(SPOOL_CLEANUP)).as("spooled commands left").isEmpty();
    }

    @Test
    void rfc3502_6_3_11_aMalformedSecondMessageAfterASpooledFirstIsBadKeepsNoneAndTheSessionGoesOn() throws Exception {
        String user = maildeck.newUser("spooledbad", DOMAIN);
        try (ImapWire imap = login(user)) {
            imap.ok("CREATE Multi");

            ImapWire.Reply reply = multiAppend(imap, "Multi",
                List.of(new Message("", "01-Feb-2021 10:11:12 +0100", LARGE), new Message("", "99-Xyz-2021 25:61:61 +0100", LARGE)));

            assertThat(reply.tagged()).as("%s", reply).matches("\\S+ BAD .*");
            assertThat(imap.ok("NOOP").tagged()).as("the next command").matches("\\S+ OK .*");
            assertThat(messagesIn(imap, "Multi")).as("messages kept").isZero();
        }
        assertThat(maildeck.instance().imapSpoolFilesLeft(SPOOL_CLEANUP)).as("spooled commands left").isEmpty();
    }

    @Test
    void rfc3502_5_capabilityAnnouncesMultiappend() throws IOException {
        String user = maildeck.newUser("capability", DOMAIN);
        try (ImapWire imap = login(user)) {
            assertThat(imap.ok("CAPABILITY").lines("CAPABILITY").get(0).split(" ")).contains("MULTIAPPEND");
        }
    }

    @Test
    void pythonImaplibAppendsThreeMessagesInOneMultiappend() throws Exception {
        String user = maildeck.newUser("imaplib", DOMAIN);
        try (ImapWire imap = login(user)) {
            imap.ok("CREATE Multi");
        }
        // imaplib has no MULTIAPPEND: a literal that is a bound method (as AUTHENTICATE uses) is
        // called at each continuation and what it returns is sent followed by CRLF, so each message but the last ends with the next one's
        // flags, date and literal announcement.
        String output = PythonImaplib.run(maildeck.instance(), user, TestServer.PASSWORD,
            "msgs = [b'Subject: a\\r\\n\\r\\none\\r\\n', b'Subject: b\\r\\n\\r\\ntwo\\r\\n', b'Subject: c\\r\\n\\r\\nthree\\r\\n']",
            "parts = [m + (b' (\\\\Seen) {%d}' % len(n)) for m, n in zip(msgs, msgs[1:])] + [msgs[-1]]",
            "class Messages:",
            "    def __init__(self): self.parts = iter(parts)",
            "    def at(self, continuation): return next(self.parts)",
            "m.literal = Messages().at",
            "typ, data = m._simple_command('APPEND', 'Multi', '(\\\\Seen)', '{%d}' % len(msgs[0]))",
            "print(typ, m.untagged_responses.get('APPENDUID'))",
            "m.select('Multi', readonly=True)",
            "print(m.uid('SEARCH', 'SEEN')[1][0].decode())");

        String[] lines = output.split("\n");
        assertThat(lines[0]).as(output).startsWith("OK");
        assertThat(lines[lines.length - 1].trim().split(" ")).as(output).hasSize(3);
    }
}
