package org.maildeck.assembly.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.maildeck.assembly.it.TestServer.PASSWORD;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * STATUS (RECENT) counts the messages that are \Recent for a new session: not those whose
 * \Recent already went to a session that has the folder selected read-write (RFC 3501 §2.3.2:
 * "this session is the first session to have been notified about this message"; §6.3.10).
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ImapStatusRecentIT {

    private static final String DOMAIN = "recent.maildeck.test";

    @RegisterExtension
    static final TestServer server = TestServer.shared();

    @Test
    void aMessageNoSessionWasToldAboutIsRecent() throws IOException {
        String user = server.newUser("unseen", DOMAIN);
        try (ImapWire asking = ImapWire.login(server.instance(), user, PASSWORD)) {
            asking.appendOk("INBOX", null, message());

            assertThat(statusOf(asking)).contains("MESSAGES 1", "RECENT 1");
        }
    }

    @Test
    void aMessageAnnouncedToASessionThatSelectedTheFolderIsNotRecentForOthers() throws IOException {
        assertThat(statusAfterAnnouncingANewMessageTo("SELECT INBOX")).contains("MESSAGES 1", "RECENT 0");
    }

    @Test
    void aMessageAnnouncedToASessionThatExaminesTheFolderStaysRecentForOthers() throws IOException {
        assertThat(statusAfterAnnouncingANewMessageTo("EXAMINE INBOX")).contains("MESSAGES 1", "RECENT 1");
    }

    /**
     * STATUS INBOX from one session after another, that opened INBOX with {@code open}, was
     * told of a new message.
     */
    private static String statusAfterAnnouncingANewMessageTo(String open) throws IOException {
        String user = server.newUser("announced", DOMAIN);
        try (ImapWire announced = ImapWire.login(server.instance(), user, PASSWORD);
             ImapWire asking = ImapWire.login(server.instance(), user, PASSWORD)) {
            announced.ok(open);
            asking.appendOk("INBOX", null, message());
            announced.noopUntil("* 1 RECENT");
            return statusOf(asking);
        }
    }

    private static String statusOf(ImapWire session) throws IOException {
        return session.ok("STATUS INBOX (MESSAGES RECENT)").lines("STATUS").get(0);
    }

    private static byte[] message() {
        return ImapOnMaildirIT.message("recent for whom", "sender@" + DOMAIN, "Body.");
    }
}
