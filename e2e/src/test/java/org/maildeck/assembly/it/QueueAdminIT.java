package org.maildeck.assembly.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code maildeck queue} against a running server whose outbound mail goes to a test
 * smarthost that defers it on request, retried only after an hour: deferred mail sits in the
 * outgoing queue, where it is listed, flushed, held, released and deleted.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class QueueAdminIT {

    private static final String DOMAIN = "queue.maildeck.test";
    private static final String USER = "quentin@" + DOMAIN;
    private static final String PASSWORD = "Queue-Pa55word";
    private static final Duration WAIT = Duration.ofSeconds(90);

    private static SmtpSink smarthost;
    private static MaildeckInstance server;

    @BeforeAll
    static void startServer() throws Exception {
        smarthost = new SmtpSink();
        server = MaildeckInstance.create((fileName, content) -> fileName.equals("mailetcontainer.xml")
            ? smarthost.asGatewayIn(content).replaceAll("<delayTime>[^<]*</delayTime>", "<delayTime>1 hour</delayTime>")
            : content).start();
        new WebAdmin(server).addDomain(DOMAIN).addUser(USER, PASSWORD);
    }

    @AfterAll
    static void stopServer() throws Exception {
        ClassScopedResources.closeAll(server, smarthost);
    }

    /** Sends to a remote recipient the smarthost defers {@code deferrals} times; returns the queue id once it waits deferred. */
    private static String deferredMailTo(String recipient, int deferrals) throws Exception {
        return deferredMailVia(recipient, recipient, deferrals);
    }

    /**
     * Sends to {@code sentTo}, which is or forwards to the remote {@code recipient} the smarthost
     * defers {@code deferrals} times; returns the queue id once it waits deferred.
     */
    private static String deferredMailVia(String sentTo, String recipient, int deferrals) throws Exception {
        smarthost.defer(recipient, deferrals);
        try (SmtpClient smtp = SmtpClient.connect(server.port("smtp"))) {
            SmtpClient.expect(smtp.command("EHLO client.example"), 250);
            SmtpClient.expect(smtp.send(USER, List.of(sentTo),
                ("From: " + USER + "\r\nTo: " + sentTo + "\r\nSubject: queued\r\n\r\nqueued\r\n").getBytes()), 250);
        }
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            // the command's listing once WebAdmin's, which it prints, shows the deferral: a look
            // through the command is a JVM of ~0.5 s of CPU, and the deferral takes seconds
            if (deferredOverWebAdmin(recipient)) {
                Optional<String> id = queuedIdOf(recipient, success(server.maildeck("queue", "list")));
                if (id.isPresent()) {
                    return id.get();
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no deferred message to " + recipient + " in:\n" + server.maildeck("queue", "list"));
    }

    /** Whether WebAdmin's queue ({@code GET /queue}, what {@code maildeck queue list} prints) has mail to {@code recipient} with a next attempt. */
    private static boolean deferredOverWebAdmin(String recipient) {
        // a JSON array of flat objects: no entry holds a brace
        return Pattern.compile("\\{[^{}]*\\}").matcher(new WebAdmin(server).get("/queue")).results().map(MatchResult::group)
            .anyMatch(mail -> mail.contains("\"" + recipient + "\"") && Pattern.compile("\"nextAttempt\"\\s*:\\s*\"[^\"]").matcher(mail).find());
    }

    /** The id on the line before the recipient's, once the message has a next attempt (it was deferred). */
    private static Optional<String> queuedIdOf(String recipient, String listing) {
        List<String> lines = listing.lines().toList();
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).trim().equals("<" + recipient + ">") && i + 1 < lines.size() && lines.get(i + 1).contains("(next attempt ")) {
                return Optional.of(lines.get(i - 1).trim().split("\\s+")[0]);
            }
        }
        return Optional.empty();
    }

    private static String remoteRecipient(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8) + "@remote.example";
    }

    private static String success(MaildeckInstance.Result result) {
        assertThat(result.exitCode()).as(result.toString()).isZero();
        return result.stdout();
    }

    private static final String OUTGOING = "org.maildeck:type=Queue,name=outgoing";

    @Test
    void aDeferredMessageRaisesTheOutgoingQueuesMessageCountAndDeferredCountByOne() throws Exception {
        long messages = MaildeckJmx.attribute(server, OUTGOING, "MessageCount");
        long deferred = MaildeckJmx.attribute(server, OUTGOING, "DeferredMessageCount");

        deferredMailTo(remoteRecipient("counted"), 1);

        // the queue figures are kept for five seconds
        assertThat(MaildeckJmx.awaitAttribute(server, OUTGOING, "MessageCount", messages + 1, WAIT)).isEqualTo(messages + 1);
        assertThat(MaildeckJmx.attribute(server, OUTGOING, "DeferredMessageCount")).isEqualTo(deferred + 1);
    }

    @Test
    void aDeferredMessageMakesTheOutgoingQueuesOldestAgeAtLeastItsWait() throws Exception {
        deferredMailTo(remoteRecipient("aged"), 1);
        long sent = System.nanoTime();

        Thread.sleep(6000);

        long waited = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - sent);
        assertThat(MaildeckJmx.attribute(server, OUTGOING, "OldestMessageAgeSeconds")).isGreaterThanOrEqualTo(waited);
    }

    @Test
    void theSpoolHasAnMBeanAndIsEmptyWhenTheServerIsIdle() throws Exception {
        assertThat(MaildeckJmx.awaitAttribute(server, "org.maildeck:type=Queue,name=spool", "MessageCount", 0, WAIT)).isZero();
    }

    @Test
    void aDeferredMessageIsListedWithItsQueueSizeSenderAndNextAttempt() throws Exception {
        String recipient = remoteRecipient("listed");

        String id = deferredMailTo(recipient, 100);

        String listing = success(server.maildeck("queue", "list"));
        assertThat(listing).containsPattern("(?m)^" + id + " +outgoing +\\d+ \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d <" + USER + ">$");
        assertThat(listing).containsPattern("-- \\d+ messages? in the queue");
    }

    @Test
    void flushDeliversDeferredMailWithoutWaitingForItsNextAttempt() throws Exception {
        String recipient = remoteRecipient("flushed");
        deferredMailTo(recipient, 1);

        assertThat(success(server.maildeck("queue", "flush"))).contains("scheduled for delivery now");

        assertThat(smarthost.awaitMessageFor(recipient, WAIT)).as("delivered long before the hour's retry").isPresent();
    }

    @Test
    void aHeldMessageIsNotDeliveredUntilReleased() throws Exception {
        String recipient = remoteRecipient("held");
        String id = deferredMailTo(recipient, 1);

        assertThat(success(server.maildeck("queue", "hold", id))).isEqualTo(id + ": placed on hold\n");
        assertThat(success(server.maildeck("queue", "list"))).containsPattern("(?m)^" + id + "! +outgoing ");
        assertThat(success(server.maildeck("status"))).containsPattern("(?m)^  hold +1$");
        success(server.maildeck("queue", "flush"));
        assertThat(smarthost.awaitMessageFor(recipient, Duration.ofSeconds(5))).as("held: not delivered by a flush").isEmpty();

        assertThat(success(server.maildeck("queue", "release", id))).isEqualTo(id + ": released\n");

        assertThat(smarthost.awaitMessageFor(recipient, WAIT)).as("delivered once released").isPresent();
        assertThat(server.serverLog()).contains(id + ": placed on hold by ", id + ": released from hold by ");
    }

    @Test
    void aDeletedMessageLeavesTheQueueWithoutABounce() throws Exception {
        String recipient = remoteRecipient("deleted");
        String id = deferredMailTo(recipient, 100);

        assertThat(success(server.maildeck("queue", "delete", id))).isEqualTo(id + ": deleted\n");

        assertThat(success(server.maildeck("queue", "list"))).doesNotContain(id, recipient);
        assertThat(server.serverLog()).contains(id + ": removed from the queue by ");
        assertThat(MaildirOnDisk.awaitMessageContaining(server.maildir(USER), Duration.ofSeconds(5), recipient)).as("no bounce").isEmpty();
    }

    /** A message to a local user forwarded to a remote address: James sends a copy named after the original plus {@code -!<digits>}. */
    private static String forwardedDeferredMail(String prefix) throws Exception {
        String recipient = remoteRecipient(prefix);
        String local = prefix + "-" + UUID.randomUUID().toString().substring(0, 8) + "@" + DOMAIN;
        new WebAdmin(server).addUser(local, PASSWORD).addForward(local, recipient);
        String id = deferredMailVia(local, recipient, 100);
        assertThat(id).as("the forwarded copy's id").contains("!");
        return id;
    }

    @Test
    void aMessageSplitByAForwardIsDeletedByItsIdWithAnExclamationMark() throws Exception {
        String id = forwardedDeferredMail("forwarded");

        assertThat(success(server.maildeck("queue", "delete", id))).isEqualTo(id + ": deleted\n");

        assertThat(success(server.maildeck("queue", "list"))).doesNotContain(id);
        assertThat(server.serverLog()).contains(id + ": removed from the queue by ");
    }

    @Test
    void theQueueRouteDeletesAMessageSplitByAForward() throws Exception {
        String id = forwardedDeferredMail("routed");

        var response = new WebAdmin(server).exchange("DELETE", "/queue/" + id, null, server.adminAuthorization("route-admin"));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(204);
        assertThat(success(server.maildeck("queue", "list"))).doesNotContain(id);
        assertThat(server.serverLog()).contains(id + ": removed from the queue by route-admin");
    }

    @Test
    void anUnknownIdIsRefused() {
        MaildeckInstance.Result result = server.maildeck("queue", "hold", "Mail1234567890-nosuchmessage");

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.stderr()).contains("Mail1234567890-nosuchmessage: no such message in the queue");
    }

    @Test
    void aPathInPlaceOfAnIdNeverReachesTheServer() {
        MaildeckInstance.Result result = server.maildeck("queue", "delete", "../../etc/passwd");

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.stderr()).contains("'../../etc/passwd' is not a queue id");
    }
}
