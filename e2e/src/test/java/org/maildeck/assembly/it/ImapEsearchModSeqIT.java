package org.maildeck.assembly.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.maildeck.assembly.it.TestServer.PASSWORD;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The MODSEQ of an ESEARCH response to a search with a MODSEQ key is the highest mod-sequence of
 * the messages returned (RFC 7162 §3.1.5 with RFC 4731): with RETURN (MIN) that of the first
 * message found, not of every message found. Each test has three messages, the third changed
 * after the first and the second changed last, so that the second holds the folder's highest
 * mod-sequence and the third the highest of the first and last.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ImapEsearchModSeqIT {

    private static final String DOMAIN = "esearch.maildeck.test";
    private static final Pattern MODSEQ = Pattern.compile("MODSEQ \\(?(\\d+)\\)?");

    @RegisterExtension
    static final TestServer server = TestServer.shared();

    @Test
    void minReportsTheModSeqOfTheMessageItReturns() throws IOException {
        try (ImapWire imap = threeMessagesSecondChangedLast()) {
            assertThat(modSeqReturnedBy(imap, "MIN")).isEqualTo(modSeqOfMessage(imap, 1));
        }
    }

    @Test
    void minAndMaxReportTheHighestModSeqOfTheTwoMessagesTheyReturn() throws IOException {
        try (ImapWire imap = threeMessagesSecondChangedLast()) {
            assertThat(modSeqReturnedBy(imap, "MIN MAX")).isEqualTo(modSeqOfMessage(imap, 3));
        }
    }

    @Test
    void allReportsTheHighestModSeqOfEveryMessageFound() throws IOException {
        try (ImapWire imap = threeMessagesSecondChangedLast()) {
            assertThat(modSeqReturnedBy(imap, "ALL")).isEqualTo(modSeqOfMessage(imap, 2));
        }
    }

    /** The MODSEQ of the ESEARCH response to {@code SEARCH RETURN (options) MODSEQ 1}, which finds all three. */
    private static long modSeqReturnedBy(ImapWire imap, String options) throws IOException {
        return modSeqOf(imap.ok("SEARCH RETURN (" + options + ") MODSEQ 1").lines("ESEARCH").get(0));
    }

    private static long modSeqOfMessage(ImapWire imap, int number) throws IOException {
        return modSeqOf(imap.ok("FETCH " + number + " (MODSEQ)").lines(number + " FETCH").get(0));
    }

    private static ImapWire threeMessagesSecondChangedLast() throws IOException {
        String user = server.newUser("modseq", DOMAIN);
        ImapWire imap = ImapWire.login(server.instance(), user, PASSWORD);
        for (int number = 1; number <= 3; number++) {
            imap.appendOk("INBOX", null, ImapOnMaildirIT.message("message " + number, "sender@" + DOMAIN, "Body " + number + "."));
        }
        imap.ok("SELECT INBOX (CONDSTORE)");
        imap.ok("STORE 3 +FLAGS (\\Flagged)");
        imap.ok("STORE 2 +FLAGS (\\Flagged)");
        return imap;
    }

    private static long modSeqOf(String response) {
        Matcher matcher = MODSEQ.matcher(response);
        if (!matcher.find()) {
            throw new AssertionError("no MODSEQ in " + response);
        }
        return Long.parseLong(matcher.group(1));
    }
}
