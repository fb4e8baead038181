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
     * A SELECT takes the \Recent of a folder of new messages in one reset of the store: the
     * FlagsUpdated it causes claims them in the session one by one, and each claim once reset the
     * store again (a sync and a scan of the folder each), so 10,000 new messages took 5.6 s of CPU
     * and 100,000 over ten minutes. Counted in the server's CPU, which a loaded machine
     * stretches far less than wall time: 0.85 s with one reset, 14.0 s with one per message.
     */
    @Test
    void selectingAFolderOfManyNewMessagesTakesTheirRecentInOneReset() throws IOException {
        int count = 20_000;
        String user = server.newUser("manynew", DOMAIN);
        try (ImapWire session = ImapWire.login(server.instance(), user, PASSWORD)) {
            // after the login, which makes the Maildir
            MaildirFiles inbox = new MaildirFiles(server.instance().maildir(user));
            byte[] message = message("one of many");
            for (int i = 0; i < count; i++) {
                inbox.dropIntoNew(message);
            }
            Duration before = serverCpu();
            List<String> selected = session.ok("SELECT INBOX", Duration.ofMinutes(2)).lines();
            Duration spent = serverCpu().minus(before);

            assertThat(selected).contains("* " + count + " EXISTS", "* " + count + " RECENT");
            assertThat(spent).as("the server's CPU for the SELECT").isLessThan(Duration.ofSeconds(5));
        }
    }

    private static Duration serverCpu() {
        return ProcessHandle.of(server.instance().pid()).flatMap(process -> process.info().totalCpuDuration())
            .orElseThrow(() -> new AssertionError("no CPU time for the server process"));
    }

    private static byte[] message(String subject) {
        return ImapOnMaildirIT.message(subject, "sender@" + DOMAIN, "Body.");
    }
}
