package org.maildeck.assembly.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.maildeck.assembly.it.TestServer.PASSWORD;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** MOVE's responses as RFC 6851 §4.3 (and RFC 9051 §6.4.8) order and count them. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ImapMoveIT {

    private static final String DOMAIN = "move.maildeck.test";

    @RegisterExtension
    static final TestServer server = TestServer.shared();

    @Test
    void copyUidComesInAnUntaggedOkBeforeTheExpungeResponses() throws IOException {
        try (ImapWire imap = twoMessagesSelected()) {
            imap.ok("CREATE Archive");

            List<String> lines = imap.ok("MOVE 1:2 Archive").lines();

            int copyUid = indexOf(lines, "^\\* OK \\[COPYUID \\d+ 1:2 \\d+:\\d+\\].*");
            int firstExpunge = indexOf(lines, "^\\* \\d+ EXPUNGE$");
            assertThat(copyUid).as("untagged COPYUID in %s", lines).isNotNegative();
            assertThat(firstExpunge).as("EXPUNGE in %s", lines).isGreaterThan(copyUid);
        }
    }

    @Test
    void aMoveIntoTheSameFolderReportsNoMoreRecentMessagesThanItHolds() throws IOException {
        try (ImapWire imap = twoMessagesSelected()) {
            ImapWire.Reply moved = imap.ok("MOVE 1:2 INBOX");

            assertThat(moved.lines().stream().filter(line -> line.matches("^\\* \\d+ RECENT$")).toList())
                .as("RECENT in %s", moved).containsExactly("* 2 RECENT");
            assertThat(imap.ok("SEARCH RECENT").searched()).containsExactly(1L, 2L);
        }
    }

    /** A new user's session with two \Recent messages in the selected INBOX. */
    private static ImapWire twoMessagesSelected() throws IOException {
        String user = server.newUser("mover", DOMAIN);
        ImapWire imap = ImapWire.login(server.instance(), user, PASSWORD);
        for (int number = 1; number <= 2; number++) {
            imap.appendOk("INBOX", null, ImapOnMaildirIT.message("to move " + number, "sender@" + DOMAIN, "Body " + number + "."));
        }
        imap.ok("SELECT INBOX");
        return imap;
    }

    private static int indexOf(List<String> lines, String regex) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).matches(regex)) {
                return i;
            }
        }
        return -1;
    }
}
