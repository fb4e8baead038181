package org.maildeck.assembly.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.maildeck.assembly.it.TestServer.PASSWORD;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.SortTerm;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Store;

/**
 * SORT (RFC 5256 §3), SORT=DISPLAY (RFC 5957) and ESORT (RFC 5267 §3.2) over a raw socket, and
 * SORT from two client libraries. One INBOX of four messages, chosen so that each sort key puts
 * them in an order of its own:
 * <pre>
 *    arrival     Date:        From                To              Cc   Subject            padding
 * 1  03-Jan-2021 2-Jan-2022   "Carl" xavier@      "Mia" beth@     c@   Re: banana         100
 * 2  02-Jan-2021 4-Jan-2022   "alice" zed@        adam@           a@   apple              300
 * 3  04-Jan-2021 (none)       bob@                "Zoe" carl@     b@   [list] cherry      200
 * 4  01-Jan-2021 1-Jan-2022   "Dora" yan@         "Nina" dan@     -    Fwd: apple (fwd)   400
 * </pre>
 * Message 3 has no Date:, so its sent date is its arrival (§2.2), the earliest of all.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ImapSortIT {

    private static final String DOMAIN = "sort.maildeck.test";

    @RegisterExtension
    static final TestServer server = TestServer.shared();

    private static String user;
    private static final List<Long> uids = new ArrayList<>();

    @BeforeAll
    static void fourMessages() throws IOException {
        server.domain(DOMAIN);
        user = server.newUser("sorter", DOMAIN);
        try (ImapWire imap = ImapWire.login(server.instance(), user, PASSWORD)) {
            append(imap, "03-Jan-2021 10:00:00 +0000", "Sun, 2 Jan 2022 10:00:00 +0000", "\"Carl\" <xavier@x.test>",
                "\"Mia\" <beth@x.test>", "c@x.test", "Re: banana", 100);
            append(imap, "02-Jan-2021 10:00:00 +0000", "Tue, 4 Jan 2022 10:00:00 +0000", "alice <zed@x.test>",
                "<adam@x.test>", "a@x.test", "apple", 300);
            append(imap, "04-Jan-2021 10:00:00 +0000", null, "<bob@x.test>",
                "\"Zoe\" <carl@x.test>", "b@x.test", "[list] cherry", 200);
            append(imap, "01-Jan-2021 10:00:00 +0000", "Sat, 1 Jan 2022 10:00:00 +0000", "\"Dora\" <yan@x.test>",
                "=?UTF-8?Q?Nina?= <dan@x.test>", null, "Fwd: apple (fwd)", 400);
        }
    }

    private static void append(ImapWire imap, String arrival, String date, String from, String to, String cc, String subject, int padding)
        throws IOException {
        StringBuilder message = new StringBuilder();
        if (date != null) {
            message.append("Date: ").append(date).append("\r\n");
        }
        message.append("From: ").append(from).append("\r\nTo: ").append(to).append("\r\n");
        if (cc != null) {
            message.append("Cc: ").append(cc).append("\r\n");
        }
        message.append("Subject: ").append(subject).append("\r\nMessage-ID: <").append(uids.size()).append("@sort.test>\r\n\r\n")
            .append("x".repeat(padding)).append("\r\n");
        ImapWire.Reply appended = imap.commandWithLiteral("APPEND INBOX \"" + arrival + "\" ", message.toString().getBytes(UTF_8), "");
        assertThat(appended.isOk()).as("APPEND %s", appended).isTrue();
        uids.add(Long.parseLong(appended.codeText("APPENDUID").orElseThrow().split(" ")[1]));
    }

    private static ImapWire.Reply inInbox(String command) throws IOException {
        try (ImapWire imap = ImapWire.login(server.instance(), user, PASSWORD)) {
            imap.ok("EXAMINE INBOX");
            return imap.command(command);
        }
    }

    private static List<Long> sorted(String command) throws IOException {
        ImapWire.Reply reply = inInbox(command);
        assertThat(reply.isOk()).as("%s -> %s", command, reply).isTrue();
        List<String> found = reply.lines("SORT");
        assertThat(found).as("one * SORT in %s", reply).hasSize(1);
        return Arrays.stream(found.get(0).substring("* SORT".length()).trim().split(" +"))
            .filter(number -> !number.isEmpty()).map(Long::parseLong).toList();
    }

    private static String esearch(String command) throws IOException {
        ImapWire.Reply reply = inInbox(command);
        assertThat(reply.isOk()).as("%s -> %s", command, reply).isTrue();
        List<String> found = reply.lines("ESEARCH");
        assertThat(found).as("one * ESEARCH in %s", reply).hasSize(1);
        return found.get(0);
    }

    @Test
    void capabilityAnnouncesSortThreadAndEsort() throws IOException {
        String capabilities = inInbox("CAPABILITY").lines("CAPABILITY").get(0);
        assertThat(capabilities.split(" ")).contains("SORT", "SORT=DISPLAY", "THREAD=REFERENCES", "THREAD=ORDEREDSUBJECT", "ESORT");
    }

    @Test
    void sortByArrivalOrdersByInternalDate() throws IOException {
        assertThat(sorted("SORT (ARRIVAL) UTF-8 ALL")).containsExactly(4L, 2L, 1L, 3L);
    }

    @Test
    void sortByDateOrdersBySentDateAndUsesTheInternalDateWithoutADateHeader() throws IOException {
        assertThat(sorted("SORT (DATE) UTF-8 ALL")).containsExactly(3L, 4L, 1L, 2L);
    }

    @Test
    void sortByFromOrdersByTheMailboxOfTheFirstFromAddress() throws IOException {
        assertThat(sorted("SORT (FROM) UTF-8 ALL")).containsExactly(3L, 1L, 4L, 2L);
    }

    @Test
    void sortByToOrdersByTheMailboxOfTheFirstToAddress() throws IOException {
        assertThat(sorted("SORT (TO) UTF-8 ALL")).containsExactly(2L, 1L, 3L, 4L);
    }

    @Test
    void sortByCcPutsAMissingCcFirst() throws IOException {
        assertThat(sorted("SORT (CC) UTF-8 ALL")).containsExactly(4L, 2L, 3L, 1L);
    }

    @Test
    void sortBySizeOrdersByRfc822Size() throws IOException {
        assertThat(sorted("SORT (SIZE) UTF-8 ALL")).containsExactly(1L, 3L, 2L, 4L);
    }

    @Test
    void sortBySubjectOrdersByBaseSubjectAndBreaksTiesBySequenceNumber() throws IOException {
        // apple (2), "Fwd: apple (fwd)" (4) is apple too, "Re: banana" (1), "[list] cherry" (3)
        assertThat(sorted("SORT (SUBJECT) UTF-8 ALL")).containsExactly(2L, 4L, 1L, 3L);
    }

    @Test
    void reverseInvertsOnlyTheKeyItPrecedesNotTheTieBreak() throws IOException {
        assertThat(sorted("SORT (REVERSE SUBJECT) UTF-8 ALL")).containsExactly(3L, 1L, 2L, 4L);
    }

    @Test
    void aSecondKeyOrdersWhatTheFirstLeavesEqual() throws IOException {
        assertThat(sorted("SORT (SUBJECT REVERSE ARRIVAL) UTF-8 ALL")).containsExactly(2L, 4L, 1L, 3L);
        assertThat(sorted("SORT (SUBJECT ARRIVAL) UTF-8 ALL")).containsExactly(4L, 2L, 1L, 3L);
    }

    @Test
    void sortByDisplayFromUsesTheDisplayNameOrElseTheAddress() throws IOException {
        // alice (2), bob@x.test (3), Carl (1), Dora (4)
        assertThat(sorted("SORT (DISPLAYFROM) UTF-8 ALL")).containsExactly(2L, 3L, 1L, 4L);
    }

    @Test
    void sortByDisplayToDecodesEncodedWords() throws IOException {
        // adam@x.test (2), Mia (1), Nina (4, written =?UTF-8?Q?Nina?=), Zoe (3)
        assertThat(sorted("SORT (DISPLAYTO) UTF-8 ALL")).containsExactly(2L, 1L, 4L, 3L);
    }

    @Test
    void sortSortsOnlyTheMessagesTheSearchKeysMatch() throws IOException {
        assertThat(sorted("SORT (REVERSE SIZE) US-ASCII NOT SUBJECT apple")).containsExactly(3L, 1L);
    }

    @Test
    void sortAcceptsUtf8SearchStrings() throws IOException {
        assertThat(sorted("SORT (ARRIVAL) UTF-8 SUBJECT \"apple\"")).containsExactly(4L, 2L);
    }

    @Test
    void sortWithAModseqKeyEndsWithTheHighestModSeqFound() throws IOException {
        // RFC 7162 §3.1.5: "* SORT 2 3 (MODSEQ 917162500)"
        assertThat(inInbox("SORT (ARRIVAL) UTF-8 MODSEQ 1").lines("SORT")).singleElement().asString()
            .matches("\\* SORT 4 2 1 3 \\(MODSEQ \\d+\\)");
    }

    @Test
    void sortWithAnUnknownCharsetIsRefusedWithBadCharset() throws IOException {
        ImapWire.Reply reply = inInbox("SORT (ARRIVAL) X-NO-SUCH-CHARSET ALL");
        assertThat(reply.tagged()).matches("\\S+ NO \\[BADCHARSET( \\([^)]*\\))?\\] .*");
    }

    @Test
    void uidSortAnswersUids() throws IOException {
        assertThat(sorted("UID SORT (ARRIVAL) UTF-8 ALL")).containsExactly(uids.get(3), uids.get(1), uids.get(0), uids.get(2));
    }

    @Test
    void esortMinAndMaxAreTheFirstAndLastInSortOrder() throws IOException {
        assertThat(esearch("SORT RETURN (MIN MAX COUNT) (DATE) UTF-8 ALL")).matches("\\* ESEARCH \\(TAG \"[^\"]+\"\\) MIN 3 MAX 2 COUNT 4");
    }

    @Test
    void esortAllListsTheMessagesInSortOrder() throws IOException {
        assertThat(esearch("SORT RETURN (ALL) (DATE) UTF-8 ALL")).endsWith(" ALL 3:4,1:2");
        assertThat(esearch("SORT RETURN (ALL) (ARRIVAL) UTF-8 ALL")).endsWith(" ALL 4,2,1,3");
    }

    @Test
    void esortWithEmptyReturnOptionsMeansAll() throws IOException {
        assertThat(esearch("SORT RETURN () (SIZE) UTF-8 ALL")).endsWith(" ALL 1,3,2,4");
    }

    @Test
    void uidEsortAnswersUids() throws IOException {
        assertThat(esearch("UID SORT RETURN (MIN COUNT) (ARRIVAL) UTF-8 ALL")).endsWith(" UID MIN " + uids.get(3) + " COUNT 4");
    }

    @Test
    void esortSaveAloneAnswersNoEsearchAndKeepsEveryMessageFoundForDollar() throws IOException {
        try (ImapWire imap = ImapWire.login(server.instance(), user, PASSWORD)) {
            imap.ok("EXAMINE INBOX");
            assertThat(imap.ok("SORT RETURN (SAVE) (DATE) UTF-8 NOT SUBJECT apple").lines("ESEARCH")).isEmpty();
            assertThat(imap.ok("SEARCH $").searched()).containsExactly(1L, 3L);
        }
    }

    @Test
    void esortSaveWithMinKeepsTheFirstInSortOrderForDollar() throws IOException {
        try (ImapWire imap = ImapWire.login(server.instance(), user, PASSWORD)) {
            imap.ok("EXAMINE INBOX");
            imap.ok("SORT RETURN (SAVE MIN) (DATE) UTF-8 ALL");
            assertThat(imap.ok("SEARCH $").searched()).containsExactly(3L);
        }
    }

    @Test
    void malformedSortIsABadAndTheSessionGoesOn() throws IOException {
        try (ImapWire imap = ImapWire.login(server.instance(), user, PASSWORD)) {
            imap.ok("EXAMINE INBOX");
            for (String malformed : List.of("SORT DATE UTF-8 ALL", "SORT (NOSUCHKEY) UTF-8 ALL", "SORT () UTF-8 ALL",
                "SORT (REVERSE) UTF-8 ALL", "SORT (DATE) UTF-8", "SORT (DATE)", "SORT RETURN (NOPE) (DATE) UTF-8 ALL",
                "SORT (DATE) UTF-8 NOSUCHSEARCHKEY")) {
                assertThat(imap.command(malformed).tagged()).as(malformed).matches("\\S+ BAD .*");
            }
            assertThat(imap.ok("NOOP").isOk()).isTrue();
        }
    }

    @Test
    void sortBeforeSelectIsRefused() throws IOException {
        try (ImapWire imap = ImapWire.login(server.instance(), user, PASSWORD)) {
            assertThat(imap.command("SORT (DATE) UTF-8 ALL").isRefused()).isTrue();
            assertThat(imap.ok("NOOP").isOk()).isTrue();
        }
    }

    @Test
    void theSortFieldsAreKeptBesideTheFolderIndex() throws IOException {
        sorted("SORT (DATE) UTF-8 ALL");
        assertThat(server.instance().maildir(user).resolve("maildeck.sortfields")).isNotEmptyFile();
    }

    @Test
    void aDamagedSortFieldsFileIsRebuiltNotAnError() throws IOException {
        String user = server.newUser("damaged", DOMAIN);
        try (ImapWire imap = ImapWire.login(server.instance(), user, PASSWORD)) {
            imap.appendOk("INBOX", null, "Subject: b\r\n\r\nx\r\n".getBytes(UTF_8));
            imap.appendOk("INBOX", null, "Subject: a\r\n\r\nx\r\n".getBytes(UTF_8));
        }
        Path file = server.instance().maildir(user).resolve("maildeck.sortfields");
        Files.write(file, "MDSF garbage".getBytes(UTF_8));
        try (ImapWire imap = ImapWire.login(server.instance(), user, PASSWORD)) {
            imap.ok("EXAMINE INBOX");
            assertThat(imap.ok("SORT (SUBJECT) UTF-8 ALL").lines("SORT")).containsExactly("* SORT 2 1");
        }
    }

    @Test
    void pythonImaplibSorts() throws Exception {
        String output = PythonImaplib.run(server.instance(), user, PASSWORD,
            "typ, data = m.sort('(REVERSE DATE)', 'UTF-8', 'ALL')",
            "print(typ, data[0].decode())");
        assertThat(output).isEqualTo("OK 2 1 4 3");
    }

    @Test
    void jakartaMailGetsSortedMessages() throws Exception {
        Store store = new Mailbox(server.instance(), user, PASSWORD).login();
        try {
            IMAPFolder inbox = (IMAPFolder) store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            Message[] sorted = inbox.getSortedMessages(new SortTerm[] {SortTerm.REVERSE, SortTerm.SIZE});
            inbox.close(false);
            assertThat(sorted).extracting(Message::getMessageNumber).containsExactly(4, 2, 3, 1);
        } finally {
            store.close();
        }
    }
}
