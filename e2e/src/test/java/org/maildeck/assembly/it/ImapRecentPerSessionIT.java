package org.maildeck.assembly.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.maildeck.assembly.it.TestServer.PASSWORD;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Each session's \Recent on a folder several sessions have open: a new message is \Recent in
 * one read-write session only (RFC 3501 §2.3.2), and an expunged message is no longer counted
 * by {@code * N RECENT} (RFC 9051 §7.4.1 / RFC 3501 §7.3.2 with §7.4.1 EXPUNGE).
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ImapRecentPerSessionIT {

    private static final String DOMAIN = "recentsession.maildeck.test";

    @RegisterExtension
    static final TestServer server = TestServer.shared();

    @Test
    void aNewMessageIsRecentInOneReadWriteSessionOnly() throws IOException {
        String user = server.newUser("onesession", DOMAIN);
        try (ImapWire first = ImapWire.login(server.instance(), user, PASSWORD);
             ImapWire second = ImapWire.login(server.instance(), user, PASSWORD);
             ImapWire delivering = ImapWire.login(server.instance(), user, PASSWORD)) {
            first.ok("SELECT INBOX");
            second.ok("SELECT INBOX");
            delivering.appendOk("INBOX", null, message("for one session"));
            List<String> toldFirst = first.noopUntil("* 1 EXISTS");
            List<String> toldSecond = second.noopUntil("* 1 EXISTS");

            long recentIn = List.of(toldFirst, toldSecond).stream().filter(told -> told.contains("* 1 RECENT")).count();

            assertThat(recentIn).as("sessions told * 1 RECENT, in " + toldFirst + " and " + toldSecond).isEqualTo(1);
        }
    }

    @Test
    void anExpungedRecentMessageIsNoLongerCountedRecent() throws IOException {
        String user = server.newUser("expungedrecent", DOMAIN);
        try (ImapWire watching = ImapWire.login(server.instance(), user, PASSWORD);
             ImapWire expunging = ImapWire.login(server.instance(), user, PASSWORD)) {
            watching.ok("SELECT INBOX");
            expunging.appendOk("INBOX", null, message("soon expunged"));
            watching.noopUntil("* 1 RECENT");
            expunging.ok("SELECT INBOX");
            expunging.ok("STORE 1 +FLAGS.SILENT (\\Deleted)");
            expunging.ok("CLOSE");
            watching.noopUntil("* 1 EXPUNGE");

            // the expunging session has closed INBOX, so the watching one is the only one to take \Recent
            expunging.appendOk("INBOX", null, message("arrives after"));
            List<String> announced = watching.noopUntil("* 1 EXISTS");

            assertThat(announced).contains("* 1 RECENT").doesNotContain("* 2 RECENT");
        }
    }

    @Test
    void aMessageWhoseRecentASelectTookIsNotRecentInTheNextSelect() throws IOException {
        String user = server.newUser("selecttook", DOMAIN);
        try (ImapWire first = ImapWire.login(server.instance(), user, PASSWORD);
             ImapWire second = ImapWire.login(server.instance(), user, PASSWORD)) {
            first.appendOk("INBOX", null, message("there before"));
            assertThat(first.ok("SELECT INBOX").lines()).as("the first SELECT").contains("* 1 RECENT");

            assertThat(second.ok("SELECT INBOX").lines()).as("the second SELECT").contains("* 0 RECENT");
            assertThat(second.ok("FETCH 1 FLAGS").lines("1 FETCH").get(0)).doesNotContain("\\Recent");
        }
    }

    @Test
    void aMessageWhoseRecentASessionWasToldIsNotRecentInALaterSelect() throws IOException {
        String user = server.newUser("toldtook", DOMAIN);
        try (ImapWire first = ImapWire.login(server.instance(), user, PASSWORD);
             ImapWire second = ImapWire.login(server.instance(), user, PASSWORD)) {
            first.ok("SELECT INBOX");
            second.appendOk("INBOX", null, message("arrives while selected"));
            assertThat(first.noopUntil("* 1 EXISTS")).as("the selected session is told").contains("* 1 RECENT");

            assertThat(second.ok("SELECT INBOX").lines()).as("the later SELECT").contains("* 0 RECENT");
            assertThat(second.ok("FETCH 1 FLAGS").lines("1 FETCH").get(0)).doesNotContain("\\Recent");
            assertThat(first.ok("FETCH 1 FLAGS").lines("1 FETCH").get(0)).as("in the session told").contains("\\Recent");
        }
    }

    /** As Dovecot: a message taken as \Recent by a read-write session leaves new/ for cur/, so other programs see it taken. */
    @Test
    void aMessageDroppedIntoNewThatASessionWasToldMovesToCur() throws IOException {
        String user = server.newUser("newtocur", DOMAIN);
        Path inbox = server.instance().maildir(user);
        try (ImapWire first = ImapWire.login(server.instance(), user, PASSWORD)) {
            first.ok("SELECT INBOX");
            new MaildirFiles(inbox).dropIntoNew(message("dropped by an MDA"));
            assertThat(first.noopUntil("* 1 EXISTS")).contains("* 1 RECENT");

            assertThat(MaildirOnDisk.files(inbox, "new")).as("new/").isEmpty();
            assertThat(MaildirOnDisk.files(inbox, "cur")).as("cur/").hasSize(1);
        }
    }

    /**
     * A SELECT of a folder of many new messages gives the session the \Recent of every one of
     * them, though the events of the messages its own sync found reach the session while the
     * SELECT still takes them in the store (a second reset on the events' thread once took some
     * first, and their \Recent went to no one). What such a SELECT costs (one reset of the store,
     * not one per message) is bench/imap-maildir's cold SELECT.
     */
    @Test
    void selectingAFolderOfManyNewMessagesGivesTheSessionTheRecentOfEach() throws IOException {
        int count = 20_000;
        String user = server.newUser("manynew", DOMAIN);
        try (ImapWire session = ImapWire.login(server.instance(), user, PASSWORD)) {
            // after the login, which makes the Maildir
            MaildirFiles inbox = new MaildirFiles(server.instance().maildir(user));
            byte[] message = message("one of many");
            for (int i = 0; i < count; i++) {
                inbox.dropIntoNew(message);
            }

            List<String> selected = session.ok("SELECT INBOX", Duration.ofMinutes(2)).lines();

            assertThat(selected).contains("* " + count + " EXISTS", "* " + count + " RECENT");
        }
    }

    private static byte[] message(String subject) {
        return ImapOnMaildirIT.message(subject, "sender@" + DOMAIN, "Body.");
    }
}
