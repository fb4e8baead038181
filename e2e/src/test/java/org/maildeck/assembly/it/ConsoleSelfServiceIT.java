package org.maildeck.assembly.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A mail user's self-service in the web console, over plain HTTP: logged in with its mail
 * password at {@code /account/login}, it changes its password (then IMAP takes the new one
 * only) and turns its vacation reply on and off (then real SMTP mail to it is answered, or not).
 * A user's session is refused the admins' pages and its forms need their CSRF token.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ConsoleSelfServiceIT {

    private static final String DOMAIN = "selfservice.maildeck.test";
    private static final Duration DELIVERY = Duration.ofSeconds(30);
    /** An address of its own, so that the refused IMAP logins meet no other class's in the login throttle. */
    private static final String IMAP_CLIENT = "127.0.0.38";

    @RegisterExtension
    static final TestServer maildeck = TestServer.shared();
    private static ConsoleClient console;

    @BeforeAll
    static void onTheSharedServer() {
        console = new ConsoleClient(maildeck.port("console"));
    }

    @Test
    void userChangesItsPasswordThenImapTakesTheNewOneAndRefusesTheOld() throws IOException {
        String user = newUser("passwd");
        ConsoleClient.Session session = console.loginMailUser(user, TestServer.PASSWORD);

        HttpResponse<String> answer = console.post("/account/password", session,
            Map.of("old", TestServer.PASSWORD, "new", "changed-Pa55", "again", "changed-Pa55"));

        assertThat(answer.statusCode()).isEqualTo(303);
        assertThat(console.get("/account", session.cookie()).body()).contains("Password changed.");
        assertThat(imapLogin(user, "changed-Pa55")).contains(" OK ");
        assertThat(imapLogin(user, TestServer.PASSWORD)).contains(" NO ");
    }

    @Test
    void passwordChangeEndsTheUsersOtherSessions() throws IOException {
        String user = newUser("elsewhere");
        ConsoleClient.Session here = console.loginMailUser(user, TestServer.PASSWORD);
        ConsoleClient.Session elsewhere = console.loginMailUser(user, TestServer.PASSWORD);

        console.post("/account/password", here, Map.of("old", TestServer.PASSWORD, "new", "moved-Pa55", "again", "moved-Pa55"));

        HttpResponse<String> ended = console.get("/account", elsewhere.cookie());
        assertThat(ended.statusCode()).isEqualTo(303);
        assertThat(ended.headers().firstValue("Location")).hasValue("/account/login");
        assertThat(console.get("/account", here.cookie()).statusCode()).isEqualTo(200);
    }

    @Test
    void passwordChangeIsAnAuditLineOfTheUser() throws Exception {
        String user = newUser("audited");
        ConsoleClient.Session session = console.loginMailUser(user, TestServer.PASSWORD);

        console.post("/account/password", session, Map.of("old", TestServer.PASSWORD, "new", "audited-Pa55", "again", "audited-Pa55"));

        maildeck.instance().awaitMailLog(Pattern.compile(Pattern.quote("console: user=" + user + ", client=127.0.0.1, passwd " + user)), DELIVERY);
    }

    @Test
    void wrongOldPasswordIsRefusedAndChangesNothing() throws IOException {
        String user = newUser("wrongold");
        ConsoleClient.Session session = console.loginMailUser(user, TestServer.PASSWORD);

        HttpResponse<String> answer = console.post("/account/password", session,
            Map.of("old", "not-the-password", "new", "other-Pa55", "again", "other-Pa55"));

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.body()).contains("wrong current password: nothing was changed");
        assertThat(imapLogin(user, TestServer.PASSWORD)).contains(" OK ");
    }

    @Test
    void passwordChangeWithoutCsrfTokenIsRefusedAndChangesNothing() throws IOException {
        String user = newUser("nocsrf");
        ConsoleClient.Session session = console.loginMailUser(user, TestServer.PASSWORD);

        HttpResponse<String> answer = console.postForm("/account/password", session.cookie(),
            Map.of("old", TestServer.PASSWORD, "new", "forged-Pa55", "again", "forged-Pa55"));

        assertThat(answer.statusCode()).isEqualTo(403);
        assertThat(imapLogin(user, TestServer.PASSWORD)).contains(" OK ");
    }

    @Test
    void mailUserIsRefusedTheAdminPages() throws IOException {
        String user = newUser("notadmin");
        ConsoleClient.Session session = console.loginMailUser(user, TestServer.PASSWORD);

        for (String page : List.of("/domains", "/users", "/aliases", "/quarantine", "/queue")) {
            HttpResponse<String> answer = console.get(page, session.cookie());
            assertThat(answer.statusCode()).as(page).isEqualTo(403);
            assertThat(answer.body()).as(page).contains("this page is for console admins").doesNotContain(DOMAIN + "</td>");
        }
        HttpResponse<String> change = console.post("/domains/add", session, Map.of("domain", "by-a-user.test"));
        assertThat(change.statusCode()).isEqualTo(403);
        assertThat(maildeck.instance().maildeck("domain", "list").stdout()).doesNotContain("by-a-user.test");
    }

    @Test
    void adminPasswordDoesNotOpenTheMailUserDoor() throws IOException {
        String user = newUser("door");

        HttpResponse<String> answer = console.tryLogin("/account/login", user, "not-the-password");

        assertThat(answer.statusCode()).isEqualTo(401);
        assertThat(answer.body()).contains("Wrong mail address or password.");
    }

    @Test
    void vacationOnAnswersMailToTheUser() throws Exception {
        String user = newUser("away");
        String correspondent = newUser("writer");
        ConsoleClient.Session session = console.loginMailUser(user, TestServer.PASSWORD);

        HttpResponse<String> answer = console.post("/account/vacation", session,
            Map.of("state", "on", "subject", "Out of \"office\"", "text", "Back on Monday.\nUrgent: call \\ the desk."));
        assertThat(answer.statusCode()).isEqualTo(303);
        SmtpClient.deliver(maildeck.port("smtp"), correspondent, List.of(user), message(correspondent, user, "question " + UUID.randomUUID()));

        String reply = MaildirOnDisk.awaitMessageContaining(maildeck.instance().maildir(correspondent), DELIVERY, "Out of \"office\"").orElseThrow();
        assertThat(reply).contains("Auto-Submitted: auto-replied", "Back on Monday.", "Urgent: call \\ the desk.");
        assertThat(console.get("/account", session.cookie()).body()).contains("On: senders get this reply");
    }

    @Test
    void vacationOffAnswersNothing() throws Exception {
        String user = newUser("back");
        String correspondent = newUser("asker");
        ConsoleClient.Session session = console.loginMailUser(user, TestServer.PASSWORD);
        console.post("/account/vacation", session, Map.of("state", "on", "subject", "Away", "text", "Away for a while."));

        HttpResponse<String> off = console.post("/account/vacation", session, Map.of("state", "off"));
        String subject = "after the holidays " + UUID.randomUUID();
        SmtpClient.deliver(maildeck.port("smtp"), correspondent, List.of(user), message(correspondent, user, subject));

        assertThat(off.statusCode()).isEqualTo(303);
        assertThat(MaildirOnDisk.awaitMessageContaining(maildeck.instance().maildir(user), DELIVERY, subject)).isPresent();
        Thread.sleep(2000); // a reply, were there one, would be delivered by now
        assertThat(MaildirOnDisk.messages(maildeck.instance().maildir(correspondent))).isEmpty();
        assertThat(console.get("/account", session.cookie()).body()).contains("Off.");
    }

    private static String newUser(String prefix) {
        return maildeck.domain(DOMAIN).newUser(prefix, DOMAIN);
    }

    private static byte[] message(String from, String to, String subject) {
        return ("From: " + from + "\r\nTo: " + to + "\r\nSubject: " + subject + "\r\nMessage-ID: <" + UUID.randomUUID()
            + "@client.test>\r\n\r\nHello.\r\n").getBytes(ISO_8859_1);
    }

    private static String imapLogin(String user, String password) throws IOException {
        try (ImapClient imap = ImapClient.connectFrom("Maildeck", IMAP_CLIENT, maildeck.port("imap"))) {
            return imap.send("LOGIN " + ImapClient.quote(user) + " " + ImapClient.quote(password)).tagged();
        }
    }
}
