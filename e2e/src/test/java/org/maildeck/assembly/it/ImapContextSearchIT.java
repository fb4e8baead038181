package org.maildeck.assembly.it;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.maildeck.assembly.it.TestServer.PASSWORD;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * CONTEXT=SEARCH (RFC 5267 §4) over a raw socket, and PARTIAL from Python's imaplib: SEARCH's
 * PARTIAL return option (§4.4), RETURN (UPDATE) with its ADDTO and REMOVEFROM notifications
 * (§4.3) and CANCELUPDATE. Each updating test works in a folder of its own of five messages; the
 * expected answers follow Dovecot's imaptest groups search-partial and search-context-update*.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ImapContextSearchIT {

    private static final String DOMAIN = "context.maildeck.test";
    private static final AtomicInteger FOLDERS = new AtomicInteger();

    @RegisterExtension
    static final TestServer server = TestServer.shared();

    private static String user;
    private static List<Long> uids;

    @BeforeAll
    static void fiveMessages() throws IOException {
        server.domain(DOMAIN);
        user = server.newUser("context", DOMAIN);
        try (ImapWire imap = ImapWire.login(server.instance(), user, PASSWORD)) {
            uids = appendFive(imap, "INBOX");
        }
    }

    private static List<Long> appendFive(ImapWire imap, String folder) throws IOException {
        List<Long> appended = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            ImapWire.Reply reply = imap.appendOk(folder, null, ("Subject: s" + i + "\r\n\r\nbody " + i + "\r\n").getBytes(US_ASCII));
            appended.add(Long.parseLong(reply.codeText("APPENDUID").orElseThrow().split(" ")[1]));
        }
        return appended;
    }

    /** A session with a new folder of five messages selected. */
    private static ImapWire inNewFolder() throws IOException {
        ImapWire imap = ImapWire.login(server.instance(), user, PASSWORD);
        String folder = "ctx" + FOLDERS.incrementAndGet();
        imap.ok("CREATE " + folder);
        appendFive(imap, folder);
        imap.ok("SELECT " + folder);
        return imap;
    }

    private static ImapWire inInbox() throws IOException {
        ImapWire imap = ImapWire.login(server.instance(), user, PASSWORD);
        imap.ok("EXAMINE INBOX");
        return imap;
    }

    private static List<String> esearch(ImapWire.Reply reply) {
        return reply.lines("ESEARCH");
    }

    /** RFC 5267 §4: a server with search contexts announces CONTEXT=SEARCH. */
    @Test
    void capabilityAnnouncesContextSearch() throws IOException {
        try (ImapWire imap = ImapWire.login(server.instance(), user, PASSWORD)) {
            assertThat(imap.ok("CAPABILITY").lines("CAPABILITY").get(0).split(" ")).contains("CONTEXT=SEARCH");
        }
    }

    /** RFC 5267 §4.4: PARTIAL returns the messages at those positions of the result, with the range asked. */
    @Test
    void partialReturnsThoseMessagesOfTheResult() throws IOException {
        try (ImapWire imap = inInbox()) {
            ImapWire.Reply reply = imap.ok("SEARCH RETURN (PARTIAL 2:4) ALL");

            assertThat(esearch(reply)).singleElement().satisfies(line -> assertThat(line).endsWith(") PARTIAL (2:4 2:4)"));
        }
    }

    /** RFC 5267 §4.4: a range given high to low is the same range. */
    @Test
    void aPartialRangeGivenBackwardsIsTheSameRange() throws IOException {
        try (ImapWire imap = inInbox()) {
            assertThat(esearch(imap.ok("SEARCH RETURN (PARTIAL 4:2) ALL")).get(0)).endsWith(" PARTIAL (2:4 2:4)");
        }
    }

    /** RFC 5267 §4.4: positions past the end of the result return NIL; those in it are counted within the result. */
    @Test
    void aPartialRangePastTheResultIsNil() throws IOException {
        try (ImapWire imap = inInbox()) {
            assertThat(esearch(imap.ok("SEARCH RETURN (PARTIAL 6:6) ALL")).get(0)).endsWith(" PARTIAL (6:6 NIL)");
            assertThat(esearch(imap.ok("SEARCH RETURN (PARTIAL 2:10) 1:2,4:5")).get(0)).endsWith(" PARTIAL (2:10 2,4:5)");
        }
    }

    /** RFC 5267 §4.4 with UID SEARCH: the messages are given by UID. */
    @Test
    void uidSearchPartialReturnsUids() throws IOException {
        try (ImapWire imap = inInbox()) {
            assertThat(esearch(imap.ok("UID SEARCH RETURN (PARTIAL 2:2) ALL")).get(0))
                .endsWith(" UID PARTIAL (2:2 " + uids.get(1) + ")");
        }
    }

    /** RFC 5267 §5 (partial-range = nz-number ":" nz-number) and §4.4 (PARTIAL conflicts with ALL): anything else is BAD. */
    @Test
    void aMalformedPartialIsBad() throws IOException {
        try (ImapWire imap = inInbox()) {
            for (String options : List.of("PARTIAL 1", "PARTIAL 1:*", "PARTIAL *:1", "PARTIAL 0:3", "PARTIAL 1:2 ALL")) {
                assertThat(imap.command("SEARCH RETURN (" + options + ") ALL").tagged()).as(options).matches("\\S+ BAD.*");
            }
            assertThat(imap.ok("NOOP").isOk()).isTrue();
        }
    }

    /** RFC 5267 §4.3: RETURN (UPDATE) alone returns no result data, only the ESEARCH naming the context. */
    @Test
    void updateAloneAnswersAnEmptyEsearch() throws IOException {
        try (ImapWire imap = inNewFolder()) {
            ImapWire.Reply reply = imap.ok("SEARCH RETURN (UPDATE) SEEN");

            assertThat(esearch(reply)).singleElement().satisfies(line -> assertThat(line).matches("\\* ESEARCH \\(TAG \"\\S+\"\\)"));
        }
    }

    /** RFC 5267 §4.3: messages that come to match are announced with ADDTO, before the command that changed them ends. */
    @Test
    void messagesThatComeToMatchAreAddedTo() throws IOException {
        try (ImapWire imap = inNewFolder()) {
            imap.ok("SEARCH RETURN (UPDATE) SEEN");

            ImapWire.Reply stored = imap.ok("STORE 1,2,4 +FLAGS (\\Seen)");

            assertThat(esearch(stored)).singleElement().satisfies(line -> assertThat(line).endsWith(") ADDTO (0 1:2,4)"));
        }
    }

    /** RFC 5267 §4.3: messages that stop matching are announced with REMOVEFROM. */
    @Test
    void messagesThatStopMatchingAreRemovedFrom() throws IOException {
        try (ImapWire imap = inNewFolder()) {
            imap.ok("STORE 1:3 +FLAGS (\\Seen)");
            imap.ok("SEARCH RETURN (UPDATE ALL) SEEN");

            ImapWire.Reply stored = imap.ok("STORE 1,2 -FLAGS (\\Seen)");

            assertThat(esearch(stored)).singleElement().satisfies(line -> assertThat(line).endsWith(") REMOVEFROM (0 1:2)"));
        }
    }

    /** RFC 5267 §4.3: an expunged message of the result is removed from it before its EXPUNGE, by the number it had. */
    @Test
    void anExpungedMessageIsRemovedFromBeforeItsExpunge() throws IOException {
        try (ImapWire imap = inNewFolder()) {
            imap.ok("STORE 3,4 +FLAGS (\\Seen)");
            imap.ok("SEARCH RETURN (UPDATE) SEEN");
            imap.ok("STORE 3 +FLAGS (\\Deleted)");

            List<String> lines = imap.ok("EXPUNGE").lines();

            int removed = lines.indexOf(lines.stream().filter(line -> line.endsWith(") REMOVEFROM (0 3)")).findFirst().orElseThrow());
            assertThat(lines.indexOf("* 3 EXPUNGE")).as("%s", lines).isGreaterThan(removed);
            assertThat(lines.stream().filter(line -> line.startsWith("* ESEARCH"))).as("%s", lines).hasSize(1);
        }
    }

    /** RFC 5267 §4.3: a new message that matches is added to the result, after the EXISTS that numbers it. */
    @Test
    void aNewMatchingMessageIsAddedAfterItsExists() throws IOException {
        try (ImapWire imap = inNewFolder()) {
            String folder = "ctx" + FOLDERS.get();
            imap.ok("SEARCH RETURN (UPDATE) SEEN");

            List<String> lines = new ArrayList<>(imap.appendOk(folder, "\\Seen", "Subject: s6\r\n\r\nsix\r\n".getBytes(US_ASCII)).lines());
            lines.addAll(imap.ok("NOOP").lines());

            int added = lines.indexOf(lines.stream().filter(line -> line.endsWith(") ADDTO (0 6)")).findFirst().orElseThrow());
            assertThat(lines.indexOf("* 6 EXISTS")).as("%s", lines).isBetween(0, added);
        }
    }

    /** RFC 5267 §4.3: another session's changes are announced when this session is next told of them. */
    @Test
    void anotherSessionsChangesAreAnnouncedToo() throws Exception {
        try (ImapWire imap = inNewFolder()) {
            String folder = "ctx" + FOLDERS.get();
            imap.ok("SEARCH RETURN (UPDATE) FLAGGED");
            try (ImapWire other = ImapWire.login(server.instance(), user, PASSWORD)) {
                other.ok("SELECT " + folder);
                other.ok("STORE 5 +FLAGS (\\Flagged)");
            }

            List<String> announced = new ArrayList<>();
            for (int i = 0; i < 100 && announced.isEmpty(); i++) {
                announced.addAll(esearch(imap.ok("NOOP")));
                Thread.sleep(50);
            }
            assertThat(announced).singleElement().satisfies(line -> assertThat(line).endsWith(") ADDTO (0 5)"));
        }
    }

    /** RFC 5267 §4.3 with UID SEARCH: the updates name UIDs. */
    @Test
    void aUidSearchIsUpdatedByUid() throws IOException {
        try (ImapWire imap = inNewFolder()) {
            List<String> fetched = imap.ok("FETCH 2 (UID)").lines("2 FETCH");
            String uid = fetched.get(0).replaceAll(".*UID (\\d+).*", "$1");
            imap.ok("UID SEARCH RETURN (UPDATE) SEEN");

            ImapWire.Reply stored = imap.ok("STORE 2 +FLAGS (\\Seen)");

            assertThat(esearch(stored)).singleElement().satisfies(line -> assertThat(line).endsWith(") UID ADDTO (0 " + uid + ")"));
        }
    }

    /** RFC 5267 §4.3: CANCELUPDATE ends a context's updates. */
    @Test
    void cancelUpdateEndsTheUpdates() throws IOException {
        try (ImapWire imap = inNewFolder()) {
            imap.send("upd SEARCH RETURN (UPDATE) SEEN");
            assertThat(imap.awaitTagged("upd", ImapWire.NORMAL).isOk()).isTrue();

            imap.ok("CANCELUPDATE \"upd\"");

            assertThat(esearch(imap.ok("STORE 1 +FLAGS (\\Seen)"))).isEmpty();
        }
    }

    /** CANCELUPDATE of a tag that names no updating search is refused (as Dovecot). */
    @Test
    void cancelUpdateOfAnUnknownTagIsRefused() throws IOException {
        try (ImapWire imap = inNewFolder()) {
            assertThat(imap.command("CANCELUPDATE \"nosuch\"").tagged()).matches("\\S+ NO.*");
        }
    }

    /** RFC 5267 §4.3: a second updating search under the tag of a live one is BAD. */
    @Test
    void aSecondUpdatingSearchWithTheSameTagIsBad() throws IOException {
        try (ImapWire imap = inNewFolder()) {
            imap.send("same SEARCH RETURN (UPDATE) SEEN");
            assertThat(imap.awaitTagged("same", ImapWire.NORMAL).isOk()).isTrue();

            imap.send("same SEARCH RETURN (UPDATE) DELETED");
            assertThat(imap.awaitTagged("same", ImapWire.NORMAL).tagged()).matches("same BAD.*");
        }
    }

    /** RFC 5267 §4.3: the updates end when the mailbox is deselected (here by selecting it again). */
    @Test
    void selectingEndsTheUpdates() throws IOException {
        try (ImapWire imap = inNewFolder()) {
            imap.ok("SEARCH RETURN (UPDATE) SEEN");

            imap.ok("SELECT ctx" + FOLDERS.get());

            assertThat(esearch(imap.ok("STORE 1 +FLAGS (\\Seen)"))).isEmpty();
        }
    }

    /** PARTIAL from Python's imaplib, which keeps the untagged ESEARCH for the caller. */
    @Test
    void pythonImaplibGetsAPartialResult() throws Exception {
        String output = PythonImaplib.run(server.instance(), user, PASSWORD,
            "typ, data = m._simple_command('SEARCH', 'RETURN', '(PARTIAL 1:3)', 'ALL')",
            "print(typ, m._untagged_response(typ, data, 'ESEARCH')[1][0].decode())");

        assertThat(output).matches("OK \\(TAG \"\\S+\"\\) PARTIAL \\(1:3 1:3\\)");
    }
}
