package org.maildeck.assembly.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.maildeck.adminaccess.OwnCertificates;
import org.maildeck.antivirus.ClamdProcess;

/**
 * The console's pages for the daily operations over HTTP: quarantine, queue and status, against a server whose outbound mail goes
 * to a test smarthost that defers it on request (retried only after an hour, as in
 * QueueAdminIT): an EICAR test mail caught by the content filter is shown, released (then
 * delivered into the recipient's Maildir) or deleted; a deferred message is held, released or
 * deleted; each by the super-admin, with its audit line, and refused to a domain admin of
 * another domain or to a form without its CSRF token, nothing changed. The status page shows the
 * listeners, the components' health and the last hour's figures, a mail counted the moment it
 * is received. The listener speaks https (tls.enabled, the server's own certificate trusted):
 * its cookie is Secure, plain http gets nothing. A catch-all takes the mail of its domain's
 * unknown addresses, never a user's, and is refused to another domain's admin.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ConsoleOperationsIT {

    private static final String DOMAIN = "console-q.maildeck.test";
    private static final String USER = "quinn@" + DOMAIN;
    private static final String PASSWORD = "Quinn-Pa55word";
    private static final String ROOT_PASSWORD = "root-Pa55word";
    private static final String OTHER_ADMIN_PASSWORD = "other-Pa55word";
    private static final Duration WAIT = Duration.ofSeconds(150);

    private static final String CATCH_ALL_DOMAIN = "catch-all.maildeck.test";
    private static final String CATCHER = "catcher@" + CATCH_ALL_DOMAIN;
    private static final String KNOWN = "known@" + CATCH_ALL_DOMAIN;

    private static SmtpSink smarthost;
    private static MaildeckInstance server;
    private static ConsoleClient console;

    @BeforeAll
    static void startServer() throws Exception {
        smarthost = new SmtpSink();
        server = MaildeckInstance.create((fileName, content) -> switch (fileName) {
            case "mailetcontainer.xml" ->
                smarthost.asGatewayIn(content).replaceAll("<delayTime>[^<]*</delayTime>", "<delayTime>1 hour</delayTime>");
            case "console.properties" -> content.replaceFirst("(?m)^tls\\.enabled=.*$", "tls.enabled=true");
            default -> content;
        }).start();
        new WebAdmin(server).addDomain(DOMAIN).addDomain("elsewhere.test").addUser(USER, PASSWORD)
            .addDomain(CATCH_ALL_DOMAIN).addUser(CATCHER, PASSWORD).addUser(KNOWN, PASSWORD)
            .addConsoleAdmin("root", ROOT_PASSWORD).addConsoleAdmin("other", OTHER_ADMIN_PASSWORD, "elsewhere.test");
        succeeds(server.maildeck("alias", "add", "@" + CATCH_ALL_DOMAIN, CATCHER));
        console = ConsoleClient.https(server.port("console"), serversOwnCertificate().clientContext());
    }

    @AfterAll
    static void stopServer() throws Exception {
        ClassScopedResources.closeAll(server, smarthost);
    }

    // --- quarantine

    /** Sends an EICAR test mail to USER; returns its quarantine id once caught. */
    private static String quarantinedMail(String subject) throws Exception {
        try (SmtpClient smtp = SmtpClient.connect(server.port("smtp"))) {
            SmtpClient.expect(smtp.command("EHLO client.test"), 250);
            SmtpClient.expect(smtp.send(USER, List.of(USER), ("From: " + USER + "\r\nTo: " + USER + "\r\nSubject: " + subject
                + "\r\n\r\n" + ClamdProcess.EICAR + "\r\n").getBytes(ISO_8859_1)), 250);
        }
        return server.awaitQuarantined("virus", subject, WAIT);
    }

    private static String subject(String what) {
        return what + " " + UUID.randomUUID();
    }

    @Test
    void quarantinedMailIsListedUnderItsCategoryWithItsScanReport() throws Exception {
        String id = quarantinedMail(subject("listed"));
        ConsoleClient.Session root = console.login("root", ROOT_PASSWORD);

        HttpResponse<String> page = console.get("/quarantine?category=virus", root.cookie());

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("/quarantine?id=" + id, ClamdProcess.SIGNATURE, USER);
    }

    @Test
    void aQuarantinedMessagesHeadersAreShownEscaped() throws Exception {
        String id = quarantinedMail(subject("<script>alert(1)</script>"));
        ConsoleClient.Session root = console.login("root", ROOT_PASSWORD);

        HttpResponse<String> page = console.get("/quarantine?id=" + id, root.cookie());

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("Subject: &lt;script&gt;alert(1)&lt;/script&gt;", ClamdProcess.SIGNATURE)
            .doesNotContain("<script>");
    }

    @Test
    void releaseFromTheConsoleDeliversTheMessageAndAuditsIt() throws Exception {
        String subject = subject("released");
        String id = quarantinedMail(subject);
        ConsoleClient.Session root = console.login("root", ROOT_PASSWORD);

        HttpResponse<String> answer = console.post("/quarantine/release", root, Map.of("id", id));

        assertThat(answer.statusCode()).isEqualTo(303);
        String delivered = MaildirOnDisk.awaitMessageContaining(server.maildir(USER), WAIT, subject).orElseThrow();
        assertThat(delivered).contains("X-Quarantine-ID: " + id);
        assertThat(server.data().resolve("quarantine/virus/" + id)).doesNotExist();
        assertThat(server.awaitMailLog(Pattern.compile("console: admin=root, client=127\\.0\\.0\\.1, quarantine release " + id),
            Duration.ofSeconds(10))).isNotNull();
    }

    @Test
    void deleteFromTheConsoleRemovesTheMessage() throws Exception {
        String id = quarantinedMail(subject("deleted"));
        ConsoleClient.Session root = console.login("root", ROOT_PASSWORD);

        HttpResponse<String> answer = console.post("/quarantine/delete", root, Map.of("id", id));

        assertThat(answer.statusCode()).isEqualTo(303);
        assertThat(server.data().resolve("quarantine/virus/" + id)).doesNotExist();
        // the flash message after the change names the id: the list's link to it is what must be gone
        assertThat(console.get("/quarantine", root.cookie()).body()).doesNotContain("/quarantine?id=" + id);
        assertThat(server.awaitMailLog(Pattern.compile("console: admin=root, client=127\\.0\\.0\\.1, quarantine delete " + id),
            Duration.ofSeconds(10))).isNotNull();
    }

    @Test
    void aDomainAdminNeitherSeesNorReleasesAnotherDomainsQuarantinedMail() throws Exception {
        String id = quarantinedMail(subject("not yours"));
        ConsoleClient.Session other = console.login("other", OTHER_ADMIN_PASSWORD);

        assertThat(console.get("/quarantine", other.cookie()).body()).doesNotContain(id);
        assertThat(console.get("/quarantine?id=" + id, other.cookie()).statusCode()).isEqualTo(403);
        HttpResponse<String> answer = console.post("/quarantine/release", other, Map.of("id", id));

        assertThat(answer.statusCode()).isEqualTo(403);
        assertThat(server.data().resolve("quarantine/virus/" + id)).exists();
    }

    @Test
    void releaseWithoutCsrfTokenIsRefusedAndReleasesNothing() throws Exception {
        String id = quarantinedMail(subject("no token"));
        ConsoleClient.Session root = console.login("root", ROOT_PASSWORD);

        HttpResponse<String> answer = console.postForm("/quarantine/release", root.cookie(), Map.of("id", id));

        assertThat(answer.statusCode()).isEqualTo(403);
        assertThat(server.data().resolve("quarantine/virus/" + id)).exists();
    }

    @Test
    void aPathInPlaceOfAQuarantineIdIsRefused() throws IOException {
        ConsoleClient.Session root = console.login("root", ROOT_PASSWORD);

        HttpResponse<String> answer = console.post("/quarantine/delete", root, Map.of("id", "../../etc/passwd"));

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.body()).contains("not a quarantine id");
    }

    // --- queue

    /** Sends to a remote recipient the smarthost defers; returns its queue id once the console lists it deferred. */
    private static String deferredMail(ConsoleClient.Session root, String recipient, int deferrals) throws Exception {
        smarthost.defer(recipient, deferrals);
        try (SmtpClient smtp = SmtpClient.connect(server.port("smtp"))) {
            SmtpClient.expect(smtp.command("EHLO client.example"), 250);
            SmtpClient.expect(smtp.send(USER, List.of(recipient),
                ("From: " + USER + "\r\nTo: " + recipient + "\r\nSubject: queued\r\n\r\nqueued\r\n").getBytes(ISO_8859_1)), 250);
        }
        // the row of the recipient, once it has a next attempt: id, queue, sender, recipients, size, arrival, next attempt
        Pattern row = Pattern.compile("<tr>\\n<td>([^<]+)</td>\\n<td>outgoing</td>\\n<td>[^<]*</td>\\n<td>" + Pattern.quote(recipient)
            + "</td>\\n<td>\\d+</td>\\n<td>[^<]*</td>\\n<td>[^<]+</td>");
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            Matcher found = row.matcher(console.get("/queue?q=" + recipient, root.cookie()).body());
            if (found.find()) {
                return found.group(1);
            }
            Thread.sleep(500);
        }
        throw new AssertionError("no deferred message to " + recipient + " on the queue page");
    }

    private static String remoteRecipient(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8) + "@remote.example";
    }

    @Test
    void aMessageHeldFromTheConsoleIsDeliveredOnlyOnceReleased() throws Exception {
        ConsoleClient.Session root = console.login("root", ROOT_PASSWORD);
        String recipient = remoteRecipient("held");
        String id = deferredMail(root, recipient, 1);

        assertThat(console.post("/queue/hold", root, Map.of("id", id)).statusCode()).isEqualTo(303);
        assertThat(console.get("/queue", root.cookie()).body()).contains("<td>outgoing (on hold)</td>").contains(id);
        assertThat(console.post("/queue/flush", root, Map.of()).statusCode()).isEqualTo(303);
        assertThat(smarthost.awaitMessageFor(recipient, Duration.ofSeconds(5))).as("held: not delivered by a flush").isEmpty();

        assertThat(console.post("/queue/release", root, Map.of("id", id)).statusCode()).isEqualTo(303);

        assertThat(smarthost.awaitMessageFor(recipient, WAIT)).as("delivered once released").isPresent();
        assertThat(server.awaitMailLog(Pattern.compile("console: admin=root, client=127\\.0\\.0\\.1, queue hold " + Pattern.quote(id)),
            Duration.ofSeconds(10))).isNotNull();
        assertThat(server.awaitMailLog(Pattern.compile("console: admin=root, client=127\\.0\\.0\\.1, queue release " + Pattern.quote(id)),
            Duration.ofSeconds(10))).isNotNull();
    }

    @Test
    void aMessageDeletedFromTheConsoleLeavesTheQueue() throws Exception {
        ConsoleClient.Session root = console.login("root", ROOT_PASSWORD);
        String recipient = remoteRecipient("deleted");
        String id = deferredMail(root, recipient, 100);

        assertThat(console.post("/queue/delete", root, Map.of("id", id)).statusCode()).isEqualTo(303);

        // the flash message after the change names the id: its row is what must be gone
        assertThat(console.get("/queue", root.cookie()).body()).doesNotContain("<td>" + id + "</td>", recipient);
        assertThat(server.serverLog()).contains(id + ": removed from the queue by root");
    }

    @Test
    void queueDeleteWithoutCsrfTokenIsRefusedAndTheMessageStays() throws Exception {
        ConsoleClient.Session root = console.login("root", ROOT_PASSWORD);
        String recipient = remoteRecipient("kept");
        String id = deferredMail(root, recipient, 100);

        HttpResponse<String> answer = console.postForm("/queue/delete", root.cookie(), Map.of("id", id));

        assertThat(answer.statusCode()).isEqualTo(403);
        assertThat(console.get("/queue", root.cookie()).body()).contains(id);
    }

    @Test
    void aDomainAdminIsRefusedTheQueue() throws IOException {
        ConsoleClient.Session other = console.login("other", OTHER_ADMIN_PASSWORD);

        assertThat(console.get("/queue", other.cookie()).statusCode()).isEqualTo(403);
        assertThat(console.post("/queue/flush", other, Map.of()).statusCode()).isEqualTo(403);
        assertThat(console.get("/domains", other.cookie()).body()).doesNotContain("href=\"/queue\"");
    }

    // --- status

    @Test
    void theStatusPageShowsEachListenerAndWhetherItAccepts() throws IOException {
        ConsoleClient.Session root = console.login("root", ROOT_PASSWORD);

        String page = console.get("/status", root.cookie()).body();

        assertThat(page).containsPattern("<td>smtpserver</td><td>127\\.0\\.0\\.1:" + server.port("smtp") + "</td><td[^>]*>accepting</td>");
        assertThat(page).containsPattern("<td>imapserver</td><td>127\\.0\\.0\\.1:" + server.port("imap") + "</td><td[^>]*>accepting</td>");
    }

    @Test
    void theStatusPageShowsTheHealthOfTheScanners() throws IOException {
        ConsoleClient.Session root = console.login("root", ROOT_PASSWORD);

        String page = console.get("/status", root.cookie()).body();

        assertThat(page).containsPattern("<td>clamd</td><td[^>]*>healthy</td>");
    }

    @Test
    void aMailReceivedIsCountedInTheLastHourAtOnce() throws Exception {
        ConsoleClient.Session root = console.login("root", ROOT_PASSWORD);
        long before = receivedInTheHour(console.get("/status", root.cookie()).body());

        try (SmtpClient smtp = SmtpClient.connect(server.port("smtp"))) {
            SmtpClient.expect(smtp.command("EHLO client.test"), 250);
            SmtpClient.expect(smtp.send(USER, List.of(USER), ("From: " + USER + "\r\nTo: " + USER + "\r\nSubject: counted\r\n\r\nHello.\r\n")
                .getBytes(ISO_8859_1)), 250);
        }

        String page = console.get("/status", root.cookie()).body();
        assertThat(receivedInTheHour(page)).isGreaterThanOrEqualTo(before + 1);
        assertThat(page).contains("data-series=\"received\"", "data-series=\"delivered\"", "data-series=\"bounced\"");
    }

    @Test
    void theStatusPageChartsTheQueuesAndScannerLatencies() throws IOException {
        ConsoleClient.Session root = console.login("root", ROOT_PASSWORD);

        String page = console.get("/status", root.cookie()).body();

        assertThat(page).contains("data-series=\"spool\"", "data-series=\"outgoing\"");
        assertThat(page).containsPattern("<td>spool</td><td>\\d+</td>");
    }

    @Test
    void aDomainAdminIsRefusedTheStatusPage() throws IOException {
        ConsoleClient.Session other = console.login("other", OTHER_ADMIN_PASSWORD);

        assertThat(console.get("/status", other.cookie()).statusCode()).isEqualTo(403);
        assertThat(console.get("/domains", other.cookie()).body()).doesNotContain("href=\"/status\"");
    }

    // --- https (tls.enabled, with the server's own certificate)

    private static OwnCertificates serversOwnCertificate() {
        return new OwnCertificates(server.conf().resolve("keystore"), "PKCS12", "maildeck-dev");
    }

    @Test
    void theSessionCookieIsSecureOverHttps() throws IOException {
        HttpResponse<String> login = console.tryLogin("root", ROOT_PASSWORD);

        assertThat(login.statusCode()).isEqualTo(303);
        assertThat(login.headers().allValues("Set-Cookie")).anySatisfy(cookie ->
            assertThat(cookie).startsWith("maildeck_session=").contains("Secure", "HttpOnly", "SameSite=Strict"));
    }

    @Test
    void plainHttpToTheHttpsListenerGetsNoPage() {
        ConsoleClient plain = new ConsoleClient(server.port("console"));

        assertThatThrownBy(() -> plain.get("/login", null)).isInstanceOf(IOException.class);
    }

    // --- catch-alls (CATCH_ALL_DOMAIN's, added with maildeck alias add @domain at the start)

    private static void send(String recipient, String subject) throws IOException {
        try (SmtpClient smtp = SmtpClient.connect(server.port("smtp"))) {
            SmtpClient.expect(smtp.command("EHLO client.test"), 250);
            SmtpClient.expect(smtp.send(USER, List.of(recipient), ("From: " + USER + "\r\nTo: " + recipient + "\r\nSubject: " + subject
                + "\r\n\r\nhello\r\n").getBytes(ISO_8859_1)), 250);
        }
    }

    @Test
    void mailToAnUnknownAddressOfACatchAllDomainIsDeliveredToItsTarget() throws Exception {
        String subject = subject("caught");

        send("nobody-" + UUID.randomUUID() + "@" + CATCH_ALL_DOMAIN, subject);

        assertThat(MaildirOnDisk.awaitMessageContaining(server.maildir(CATCHER), WAIT, subject)).isPresent();
    }

    @Test
    void aUserOfACatchAllDomainStillGetsItsOwnMail() throws Exception {
        String subject = subject("own mail");

        send(KNOWN, subject);

        assertThat(MaildirOnDisk.awaitMessageContaining(server.maildir(KNOWN), WAIT, subject)).isPresent();
        assertThat(MaildirOnDisk.awaitMessageContaining(server.maildir(CATCHER), Duration.ZERO, subject)).isEmpty();
    }

    @Test
    void theAliasesPageListsTheCatchAll() throws IOException {
        ConsoleClient.Session root = console.login("root", ROOT_PASSWORD);

        String page = console.get("/aliases?q=" + CATCH_ALL_DOMAIN, root.cookie()).body();

        assertThat(page).containsPattern("<td>@" + Pattern.quote(CATCH_ALL_DOMAIN) + " <small>\\(catch-all\\)</small></td>\\s*<td>"
            + Pattern.quote(CATCHER) + "</td>");
    }

    @Test
    void aCatchAllAddedInTheConsoleIsAuditedAndListedByTheCommand() throws Exception {
        String domain = "console-catch-all.maildeck.test";
        new WebAdmin(server).addDomain(domain).addUser("desk@" + domain, PASSWORD);
        ConsoleClient.Session root = console.login("root", ROOT_PASSWORD);

        HttpResponse<String> answer = console.post("/aliases/add", root, Map.of("alias", "@" + domain, "target", "desk@" + domain));

        assertThat(answer.statusCode()).isEqualTo(303);
        assertThat(server.awaitMailLog(Pattern.compile("console: admin=root, client=127\\.0\\.0\\.1, alias add @" + Pattern.quote(domain)
            + " -> " + Pattern.quote("desk@" + domain)), Duration.ofSeconds(10))).isNotNull();
        assertThat(succeeds(server.maildeck("alias", "list")).lines()).contains("@" + domain + " -> desk@" + domain);
    }

    @Test
    void aDomainAdminIsRefusedAnotherDomainsCatchAll() throws IOException {
        ConsoleClient.Session other = console.login("other", OTHER_ADMIN_PASSWORD);

        HttpResponse<String> remove = console.post("/aliases/remove", other, Map.of("alias", "@" + CATCH_ALL_DOMAIN, "target", CATCHER));
        HttpResponse<String> page = console.get("/aliases", other.cookie());

        assertThat(remove.statusCode()).isEqualTo(403);
        assertThat(page.body()).doesNotContain("@" + CATCH_ALL_DOMAIN);
        assertThat(succeeds(server.maildeck("alias", "list")).lines()).contains("@" + CATCH_ALL_DOMAIN + " -> " + CATCHER);
    }

    /** The messages chart's legend: {@code received: <span class="latest">1</span> now, <span class="total">7</span> in the hour}. */
    private static long receivedInTheHour(String page) {
        Matcher total = Pattern.compile("received: <span class=\"latest\">\\d+</span> now, <span class=\"total\">(\\d+)</span>").matcher(page);
        assertThat(total.find()).as("the received series' total in:\n" + page).isTrue();
        return Long.parseLong(total.group(1));
    }

    private static String succeeds(MaildeckInstance.Result result) {
        assertThat(result.exitCode()).as(result.toString()).isZero();
        return result.stdout();
    }
}
