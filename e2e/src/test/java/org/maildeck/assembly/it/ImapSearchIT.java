package org.maildeck.assembly.it;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.maildeck.assembly.it.TestServer.PASSWORD;

import java.io.IOException;
import java.util.Calendar;
import java.util.GregorianCalendar;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Store;
import jakarta.mail.search.ComparisonTerm;
import jakarta.mail.search.SentDateTerm;

/**
 * SEARCH keys that James 3.8.1 answered wrongly (RFC 9051 §6.4.4, as RFC 3501 §6.4.4): NOT and
 * OR around a sequence or UID set, and the SENT* keys, which compare the day written in the
 * Date: header, "disregarding time and timezone". One folder of five messages serves every test:
 * <ol>
 * <li>sent Saturday 24 March 2007 at 23:00 -0700 (25 March in UTC),</li>
 * <li>sent Sunday 25 March 2007 at 01:00 +0200 (24 March in UTC),</li>
 * <li>sent Friday 23 March 2007 at 23:30 -0200 (24 March in UTC),</li>
 * <li>and 5. sent 1 January 2020 in UTC.</li>
 * </ol>
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ImapSearchIT {

    private static final String DOMAIN = "search.maildeck.test";

    @RegisterExtension
    static final TestServer server = TestServer.shared();

    private static String user;
    private static long uidOfSecond;

    @BeforeAll
    static void fiveMessages() throws IOException {
        server.domain(DOMAIN);
        user = server.newUser("searcher", DOMAIN);
        String[] dates = {
            "Sat, 24 Mar 2007 23:00:00 -0700",
            "Sun, 25 Mar 2007 01:00:00 +0200",
            "Fri, 23 Mar 2007 23:30:00 -0200",
            "Wed, 1 Jan 2020 10:00:00 +0000",
            "Wed, 1 Jan 2020 11:00:00 +0000"};
        try (ImapWire imap = ImapWire.login(server.instance(), user, PASSWORD)) {
            for (int i = 0; i < dates.length; i++) {
                ImapWire.Reply appended = imap.appendOk("INBOX", null, message(i + 1, dates[i]));
                if (i == 1) {
                    uidOfSecond = Long.parseLong(appended.codeText("APPENDUID").orElseThrow().split(" ")[1]);
                }
            }
        }
    }

    @Test
    void notOfASequenceSetMatchesEveryOtherMessage() throws IOException {
        assertThat(search("NOT 2,4")).containsExactly(1L, 3L, 5L);
    }

    @Test
    void notOfAUidSetMatchesEveryOtherMessage() throws IOException {
        assertThat(search("NOT UID " + uidOfSecond)).containsExactly(1L, 3L, 4L, 5L);
    }

    @Test
    void orOfASequenceNumberAndAUidMatchesBoth() throws IOException {
        assertThat(search("OR 1 UID " + uidOfSecond)).containsExactly(1L, 2L);
    }

    @Test
    void aSequenceSetAndedWithAnotherKeyStillNarrowsTheMatches() throws IOException {
        assertThat(search("2:5 NOT 4")).containsExactly(2L, 3L, 5L);
    }

    @Test
    void sentOnComparesTheDayWrittenInTheDateHeader() throws IOException {
        assertThat(search("SENTON 24-Mar-2007")).containsExactly(1L);
    }

    @Test
    void sentBeforeComparesTheDayWrittenInTheDateHeader() throws IOException {
        assertThat(search("SENTBEFORE 24-Mar-2007")).containsExactly(3L);
    }

    @Test
    void sentSinceComparesTheDayWrittenInTheDateHeader() throws IOException {
        assertThat(search("SENTSINCE 25-Mar-2007")).containsExactly(2L, 4L, 5L);
    }

    @Test
    void aMailReaderSearchingBySentDateFindsTheDayAsWritten() throws Exception {
        Calendar day = new GregorianCalendar(2007, Calendar.MARCH, 24);
        Store store = new Mailbox(server.instance(), user, PASSWORD).login();
        try {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            Message[] found = inbox.search(new SentDateTerm(ComparisonTerm.EQ, day.getTime()));
            inbox.close(false);

            assertThat(found).extracting(Message::getMessageNumber).containsExactly(1);
        } finally {
            store.close();
        }
    }

    private static List<Long> search(String keys) throws IOException {
        try (ImapWire imap = ImapWire.login(server.instance(), user, PASSWORD)) {
            imap.ok("EXAMINE INBOX");
            return imap.ok("SEARCH " + keys).searched();
        }
    }

    private static byte[] message(int number, String date) {
        return ("From: sender@" + DOMAIN + "\r\n"
            + "To: " + user + "\r\n"
            + "Subject: message " + number + "\r\n"
            + "Date: " + date + "\r\n"
            + "\r\n"
            + "Body of message " + number + ".\r\n").getBytes(US_ASCII);
    }
}
