package org.maildeck.assembly.it;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.maildeck.assembly.it.TestServer.PASSWORD;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * IMAP sessions on a folder while every thread of Reactor's {@code boundedElastic} pool, where
 * the store's calls run, is busy. The pool then queues a new task behind a busy thread, so a
 * thread of the pool that waits for a task of the same pool may be waiting for itself, for good.
 * Under load (slow fsyncs keeping the pool's threads waiting for a folder) a session's SELECT or
 * APPEND waited so: no answer, no error logged, the client gone after its read timeout (the
 * 120 s stall of bench/imap-stress under login churn). Here the pool has a single thread, so
 * every such wait is a wait for itself and shows at once.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ImapBusyStorePoolIT {

    private static final String DOMAIN = "busypool.maildeck.test";

    @RegisterExtension
    static final TestServer server = TestServer.own(() -> MaildeckInstance.create()
        .javaOptions(MaildeckInstance.SERVER_JVM_OPTIONS + " -Dreactor.schedulers.defaultBoundedElasticSize=1"));

    /**
     * The SELECT takes the \Recent of the message in the store, and the event of that change
     * reaches the selecting session's own view, which claims the \Recent (RecentClaims) on the
     * thread of the pool that made the change.
     */
    @Test
    void rfc9051_6_3_2_aSelectOfAFolderWithANewMessageIsAnsweredWithTheMessageRecent() throws Exception {
        String user = server.newUser("selecting", DOMAIN);
        try (ImapWire appending = ImapWire.login(server.instance(), user, PASSWORD);
             ImapWire selecting = ImapWire.login(server.instance(), user, PASSWORD)) {
            appending.appendOk("INBOX", null, message("before the select"));

            ImapWire.Reply select = selecting.command("SELECT INBOX");

            assertThat(select.isOk()).as("%s", select).isTrue();
            assertThat(select.lines()).contains("* 1 EXISTS", "* 1 RECENT");
        }
    }

    /**
     * The new message's \Recent goes to the session that has the folder open, which takes it in
     * the store too (RecentClaims), on the thread that delivers the APPEND's event to it.
     */
    @Test
    void rfc9051_6_3_12_anAppendIsAnsweredAndAnnouncedAsRecentToASessionThatHasTheFolderOpen() throws Exception {
        String user = server.newUser("appending", DOMAIN);
        try (ImapWire watching = ImapWire.login(server.instance(), user, PASSWORD);
             ImapWire appending = ImapWire.login(server.instance(), user, PASSWORD)) {
            watching.ok("SELECT INBOX");

            ImapWire.Reply append = appending.append("INBOX", null, message("while the folder is open"));

            assertThat(append.isOk()).as("%s", append).isTrue();
            List<String> told = watching.noopUntil("* 1 EXISTS");
            assertThat(told).contains("* 1 RECENT");
        }
    }

    /** MULTIAPPEND (RFC 3502) looks the folder up and stores the messages from a thread of the pool. */
    @Test
    void rfc3502_3_aMultiappendIsAnswered() throws Exception {
        String user = server.newUser("multiappending", DOMAIN);
        try (ImapWire appending = ImapWire.login(server.instance(), user, PASSWORD)) {
            byte[] first = message("first of two");
            byte[] second = message("second of two");

            ImapWire.Reply append = appending.commandWithLiterals(List.of("APPEND INBOX ", " ", ""), List.of(first, second));

            assertThat(append.isOk()).as("%s", append).isTrue();
            assertThat(appending.command("STATUS INBOX (MESSAGES)").lines()).contains("* STATUS \"INBOX\" (MESSAGES 2)");
        }
    }

    private static byte[] message(String subject) {
        return ("From: someone@" + DOMAIN + "\r\nSubject: " + subject + "\r\n\r\nbody\r\n").getBytes(US_ASCII);
    }
}
