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
 * CONTEXT=SORT (RFC 5267 §4) over a raw socket, and PARTIAL from Python's imaplib: SORT's PARTIAL
 * return option, a window on the result in sort order (§4.4), and RETURN (UPDATE), whose ADDTO and
 * REMOVEFROM notifications say where in the sorted result each run of messages goes or was
 * (§4.3: the context-position, from 1). Each test works in a folder of its own of five messages,
 * arrived in the order of their numbers, sorted by (REVERSE ARRIVAL): 5 4 3 2 1.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ImapContextSortIT {

    private static final String DOMAIN = "contextsort.maildeck.test";
    private static final String NEWEST_FIRST = "(REVERSE ARRIVAL) US-ASCII";
    private static final AtomicInteger FOLDERS = new AtomicInteger();

    @RegisterExtension
    static final TestServer server = TestServer.shared();

    private static String user;

    @BeforeAll
    static void aUser() {
        server.domain(DOMAIN);
        user = server.newUser("contextsort", DOMAIN);
    }

    /** A session with a new folder of five messages selected; the folder's name is {@code folder(imap)}. */
    private static ImapWire inNewFolder() throws IOException {
        ImapWire imap = ImapWire.login(server.instance(), user, PASSWORD);
        String folder = "sorted" + FOLDERS.incrementAndGet();
        imap.ok("CREATE " + folder);
        for (int i = 1; i <= 5; i++) {
            imap.appendOk(folder, null, ("Subject: s" + i + "\r\n\r\nbody " + i + "\r\n").getBytes(US_ASCII));
        }
        imap.ok("SELECT " + folder);
        return imap;
    }

    private static String esearch(ImapWire.Reply reply) {
        List<String> lines = reply.lines("ESEARCH");
        assertThat(lines).as("%s", reply.lines()).hasSize(1);
        return lines.get(0);
    }

    /** RFC 5267 §4: a server with sorted contexts announces CONTEXT=SORT. */
    @Test
    void capabilityAnnouncesContextSort() throws IOException {
        try (ImapWire imap = ImapWire.login(server.instance(), user, PASSWORD)) {
            assertThat(imap.ok("CAPABILITY").lines("CAPABILITY").get(0).split(" ")).contains("CONTEXT=SORT", "ESORT", "SORT");
        }
    }

    /** RFC 5267 §4.4: PARTIAL of a SORT returns the messages at those positions of the sorted result, in sort order. */
    @Test
    void partialIsAWindowOnTheResultInSortOrder() throws IOException {
        try (ImapWire imap = inNewFolder()) {
            assertThat(esearch(imap.ok("SORT RETURN (PARTIAL 2:4) " + NEWEST_FIRST + " ALL"))).endsWith(") PARTIAL (2:4 4,3,2)");
            assertThat(esearch(imap.ok("SORT RETURN (PARTIAL 2:4) (ARRIVAL) US-ASCII ALL"))).endsWith(") PARTIAL (2:4 2:4)");
        }
    }

    /** RFC 5267 §4.4: positions past the end of the sorted result return NIL. */
    @Test
    void aPartialRangePastTheSortedResultIsNil() throws IOException {
        try (ImapWire imap = inNewFolder()) {
            assertThat(esearch(imap.ok("SORT RETURN (PARTIAL 6:9) " + NEWEST_FIRST + " ALL"))).endsWith(") PARTIAL (6:9 NIL)");
        }
    }

    /** RFC 5267 §4.4 and §5: a malformed PARTIAL of a SORT is BAD, and the session goes on. */
    @Test
    void aMalformedSortPartialIsBad() throws IOException {
        try (ImapWire imap = inNewFolder()) {
            for (String options : List.of("PARTIAL 1", "PARTIAL 1:*", "PARTIAL *:1", "PARTIAL 1:2 ALL")) {
                assertThat(imap.command("SORT RETURN (" + options + ") " + NEWEST_FIRST + " ALL").tagged()).as(options).matches("\\S+ BAD.*");
            }
            assertThat(imap.ok("NOOP").isOk()).isTrue();
        }
    }

    /** RFC 5267 §4.3: messages that come to match are added at their place in the sorted result. */
    @Test
    void messagesThatComeToMatchAreAddedWhereTheySort() throws IOException {
        try (ImapWire imap = inNewFolder()) {
            imap.ok("SORT RETURN (UPDATE) " + NEWEST_FIRST + " SEEN");

            assertThat(esearch(imap.ok("STORE 2,4 +FLAGS (\\Seen)"))).endsWith(") ADDTO (1 4,2)");
            assertThat(esearch(imap.ok("STORE 3 +FLAGS (\\Seen)"))).endsWith(") ADDTO (2 3)");
        }
    }

    /** RFC 5267 §4.3: each run that stops matching is removed from where it is, counted after the runs before it left. */
    @Test
    void messagesThatStopMatchingAreRemovedFromWhereTheyWere() throws IOException {
        try (ImapWire imap = inNewFolder()) {
            imap.ok("STORE 1:5 +FLAGS (\\Seen)");
            imap.ok("SORT RETURN (UPDATE) " + NEWEST_FIRST + " SEEN");

            assertThat(esearch(imap.ok("STORE 2,4 -FLAGS (\\Seen)"))).endsWith(") REMOVEFROM (2 4) REMOVEFROM (3 2)");
        }
    }

    /** RFC 5267 §4.3: an expunged message of a sorted result is removed from its place before its EXPUNGE. */
    @Test
    void anExpungedMessageIsRemovedFromItsPlaceBeforeItsExpunge() throws IOException {
        try (ImapWire imap = inNewFolder()) {
            imap.ok("STORE 2:4 +FLAGS (\\Seen)");
            imap.ok("SORT RETURN (UPDATE) " + NEWEST_FIRST + " SEEN");
            imap.ok("STORE 3 +FLAGS (\\Deleted)");

            List<String> lines = imap.ok("EXPUNGE").lines();

            int removed = lines.indexOf(lines.stream().filter(line -> line.endsWith(") REMOVEFROM (2 3)")).findFirst().orElseThrow());
            assertThat(lines.indexOf("* 3 EXPUNGE")).as("%s", lines).isGreaterThan(removed);
            assertThat(lines.stream().filter(line -> line.startsWith("* ESEARCH"))).as("%s", lines).hasSize(1);
        }
    }

    /** RFC 5267 §4.3: a new matching message is added at its place, after the EXISTS that numbers it. */
    @Test
    void aNewMatchingMessageIsAddedAtItsPlaceAfterItsExists() throws IOException {
        try (ImapWire imap = inNewFolder()) {
            String folder = "sorted" + FOLDERS.get();
            imap.ok("STORE 1:5 +FLAGS (\\Seen)");
            imap.ok("SORT RETURN (UPDATE) " + NEWEST_FIRST + " SEEN");

            List<String> lines = new ArrayList<>(imap.appendOk(folder, "\\Seen", "Subject: s6\r\n\r\nsix\r\n".getBytes(US_ASCII)).lines());
            lines.addAll(imap.ok("NOOP").lines());

            int added = lines.indexOf(lines.stream().filter(line -> line.endsWith(") ADDTO (1 6)")).findFirst().orElseThrow());
            assertThat(lines.indexOf("* 6 EXISTS")).as("%s", lines).isBetween(0, added);
        }
    }

    /** RFC 5267 §4.3 with UID SORT: the updates name UIDs at their places. */
    @Test
    void aUidSortIsUpdatedByUid() throws IOException {
        try (ImapWire imap = inNewFolder()) {
            String uid = imap.ok("FETCH 2 (UID)").lines("2 FETCH").get(0).replaceAll(".*UID (\\d+).*", "$1");
            imap.ok("STORE 1,3 +FLAGS (\\Seen)");
            imap.ok("UID SORT RETURN (UPDATE) " + NEWEST_FIRST + " SEEN");

            assertThat(esearch(imap.ok("STORE 2 +FLAGS (\\Seen)"))).endsWith(") UID ADDTO (2 " + uid + ")");
        }
    }

    /** RFC 5267 §4.3: an updating SORT under the tag of a live updating search is BAD; CANCELUPDATE ends a sort's updates. */
    @Test
    void sortContextsShareTagsAndCancellationWithSearchContexts() throws IOException {
        try (ImapWire imap = inNewFolder()) {
            imap.send("live SEARCH RETURN (UPDATE) SEEN");
            assertThat(imap.awaitTagged("live", ImapWire.NORMAL).isOk()).isTrue();
            imap.send("live SORT RETURN (UPDATE) " + NEWEST_FIRST + " SEEN");
            assertThat(imap.awaitTagged("live", ImapWire.NORMAL).tagged()).matches("live BAD.*");

            imap.send("srt SORT RETURN (UPDATE) " + NEWEST_FIRST + " FLAGGED");
            assertThat(imap.awaitTagged("srt", ImapWire.NORMAL).isOk()).isTrue();
            imap.ok("CANCELUPDATE \"srt\"");

            assertThat(imap.ok("STORE 1 +FLAGS (\\Flagged)").lines("ESEARCH")).isEmpty();
        }
    }

    /** PARTIAL of a SORT from Python's imaplib, which keeps the untagged ESEARCH for the caller. */
    @Test
    void pythonImaplibGetsAPartialSortedResult() throws Exception {
        try (ImapWire imap = inNewFolder()) {
            String folder = "sorted" + FOLDERS.get();
            String output = PythonImaplib.run(server.instance(), user, PASSWORD,
                "m.select('" + folder + "')",
                "typ, data = m._simple_command('SORT', 'RETURN', '(PARTIAL 1:3)', '(REVERSE ARRIVAL)', 'US-ASCII', 'ALL')",
                "print(typ, m._untagged_response(typ, data, 'ESEARCH')[1][0].decode())");

            assertThat(output).matches("OK \\(TAG \"\\S+\"\\) PARTIAL \\(1:3 5,4,3\\)");
        }
    }
}
