package org.maildeck.assembly.it;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.maildeck.assembly.it.TestServer.PASSWORD;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Commands a client sends in one write, before the answer to the first (RFC 9051 §5.5): each is
 * judged against the session its predecessors left, as Dovecot does, also when a SELECT changes
 * the session's state.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ImapPipeliningIT {

    private static final String DOMAIN = "pipelining.maildeck.test";

    @RegisterExtension
    static final TestServer server = TestServer.shared();

    private static ImapWire loggedInWithOneMessage(String prefix) throws IOException {
        String user = server.newUser(prefix, DOMAIN);
        ImapWire imap = ImapWire.login(server.instance(), user, PASSWORD);
        imap.appendOk("INBOX", "\\Flagged", ImapOnMaildirIT.message("pipelined", "sender@" + DOMAIN, "Body."));
        return imap;
    }

    @Test
    void rfc9051_5_5_aFetchPipelinedBehindSelectFromTheAuthenticatedStateIsAnswered() throws IOException {
        try (ImapWire imap = loggedInWithOneMessage("selectfetch")) {
            imap.write("a SELECT INBOX\r\nb FETCH 1 FLAGS\r\n".getBytes(US_ASCII));

            ImapWire.Reply select = imap.awaitTagged("a", ImapWire.NORMAL);
            ImapWire.Reply fetch = imap.awaitTagged("b", ImapWire.NORMAL);

            assertThat(select.isOk()).as("%s", select).isTrue();
            assertThat(fetch.isOk()).as("%s", fetch).isTrue();
            assertThat(fetch.lines("1 FETCH")).as("%s", fetch).singleElement().asString().contains("\\Flagged");
        }
    }

    @Test
    void rfc9051_6_4_5_aFetchPipelinedBehindAFailedSelectIsRefusedAndTheSessionGoesOn() throws IOException {
        try (ImapWire imap = loggedInWithOneMessage("failedselect")) {
            imap.write("a SELECT NoSuchFolder\r\nb FETCH 1 FLAGS\r\nc NOOP\r\n".getBytes(US_ASCII));

            ImapWire.Reply select = imap.awaitTagged("a", ImapWire.NORMAL);
            ImapWire.Reply fetch = imap.awaitTagged("b", ImapWire.NORMAL);
            ImapWire.Reply noop = imap.awaitTagged("c", ImapWire.NORMAL);

            assertThat(select.tagged()).as("%s", select).startsWith("a NO ");
            assertThat(fetch.tagged()).as("%s", fetch).matches("b (NO|BAD) .*");
            assertThat(fetch.lines("1 FETCH")).as("%s", fetch).isEmpty();
            assertThat(noop.isOk()).as("%s", noop).isTrue();
        }
    }

    @Test
    void rfc9051_6_4_aFetchPipelinedBehindCloseIsRefused() throws IOException {
        try (ImapWire imap = loggedInWithOneMessage("closefetch")) {
            imap.ok("SELECT INBOX");
            imap.write("a CLOSE\r\nb FETCH 1 FLAGS\r\n".getBytes(US_ASCII));

            ImapWire.Reply close = imap.awaitTagged("a", ImapWire.NORMAL);
            ImapWire.Reply fetch = imap.awaitTagged("b", ImapWire.NORMAL);

            assertThat(close.isOk()).as("%s", close).isTrue();
            assertThat(fetch.tagged()).as("%s", fetch).matches("b (NO|BAD) .*");
        }
    }
}
