package org.maildeck.assembly.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.maildeck.assembly.it.MaildeckInstance.Result;

/**
 * The web console over plain HTTP (java.net.http), mostly as an attacker would use it: forms without or with another
 * session's CSRF token, forged and ended sessions, markup in fields, over-long fields, path
 * tricks, other content types, password guessing. Each refusal leaves nothing changed.
 * <p>
 * A server of its own, behind.proxy=true: the password-guessing test comes "from" an address of
 * its own (X-Forwarded-For) so that its lockout, in the throttle every protocol shares, does
 * not lock the other tests out of 127.0.0.1.
 */
class ConsoleHttpIT {

    private static final String ROOT_PASSWORD = "root-Pa55word";

    @RegisterExtension
    static final TestServer maildeck = TestServer.own((fileName, content) -> fileName.equals("console.properties")
        ? content.replaceFirst("(?m)^behind\\.proxy=.*$", "behind.proxy=true")
        : content);
    private static MaildeckInstance server;
    private static ConsoleClient console;

    @BeforeAll
    static void withAnAdmin() {
        server = maildeck.instance();
        console = new ConsoleClient(server.port("console"));
        maildeck.webAdmin().addConsoleAdmin("root", ROOT_PASSWORD);
    }

    @Test
    void everyAnswerCarriesTheSecurityHeaders() throws IOException {
        HttpResponse<String> login = console.get("/login", null);

        assertThat(login.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp ->
            assertThat(csp).contains("default-src 'self'", "script-src 'none'", "frame-ancestors 'none'").doesNotContain("unsafe-inline"));
        assertThat(login.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(login.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(login.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
    }

    @Test
    void sessionCookieIsHttpOnlyAndSameSiteStrict() throws IOException {
        HttpResponse<String> login = console.tryLogin("root", ROOT_PASSWORD);

        assertThat(login.headers().allValues("Set-Cookie")).anySatisfy(cookie ->
            assertThat(cookie).startsWith("maildeck_session=").contains("HttpOnly", "SameSite=Strict", "Path=/"));
    }

    @Test
    void postWithoutCsrfTokenIsRefusedAndChangesNothing() throws IOException {
        ConsoleClient.Session session = console.login("root", ROOT_PASSWORD);

        HttpResponse<String> answer = console.postForm("/domains/add", session.cookie(), Map.of("domain", "no-token.test"));

        assertThat(answer.statusCode()).isEqualTo(403);
        assertThat(domains()).doesNotContain("no-token.test");
    }

    @Test
    void postWithWrongCsrfTokenIsRefusedAndChangesNothing() throws IOException {
        ConsoleClient.Session session = console.login("root", ROOT_PASSWORD);

        HttpResponse<String> answer = console.post("/domains/add", session, Map.of("domain", "wrong-token.test", "csrf", "forged"));

        assertThat(answer.statusCode()).isEqualTo(403);
        assertThat(domains()).doesNotContain("wrong-token.test");
    }

    @Test
    void csrfTokenOfAnotherSessionIsRefused() throws IOException {
        ConsoleClient.Session mine = console.login("root", ROOT_PASSWORD);
        ConsoleClient.Session other = console.login("root", ROOT_PASSWORD);

        HttpResponse<String> answer = console.post("/domains/add", mine, Map.of("domain", "replayed.test", "csrf", other.csrf()));

        assertThat(answer.statusCode()).isEqualTo(403);
        assertThat(domains()).doesNotContain("replayed.test");
    }

    @Test
    void formWithItsSessionsTokenIsAccepted() throws IOException {
        ConsoleClient.Session session = console.login("root", ROOT_PASSWORD);

        HttpResponse<String> answer = console.post("/domains/add", session, Map.of("domain", "accepted.test"));

        assertThat(answer.statusCode()).isEqualTo(303);
        assertThat(domains()).contains("accepted.test");
    }

    @Test
    void forgedSessionCookieIsSentToTheLoginPage() throws IOException {
        HttpResponse<String> answer = console.get("/domains", "maildeck_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");

        assertThat(answer.statusCode()).isEqualTo(303);
        assertThat(answer.headers().firstValue("Location")).hasValue("/login");
    }

    @Test
    void postWithForgedSessionCookieIsRefusedAndChangesNothing() throws IOException {
        HttpResponse<String> answer = console.postForm("/domains/add", "maildeck_session=forged",
            Map.of("domain", "forged-session.test", "csrf", "forged"));

        assertThat(answer.statusCode()).isEqualTo(403);
        assertThat(domains()).doesNotContain("forged-session.test");
    }

    @Test
    void sessionEndedByLogoutIsRefused() throws IOException {
        ConsoleClient.Session session = console.login("root", ROOT_PASSWORD);
        assertThat(console.post("/logout", session, Map.of()).statusCode()).isEqualTo(303);

        HttpResponse<String> answer = console.post("/domains/add", session, Map.of("domain", "after-logout.test"));

        assertThat(answer.statusCode()).isEqualTo(403);
        assertThat(domains()).doesNotContain("after-logout.test");
    }

    @Test
    void newPasswordEndsTheAdminsSessions() throws IOException {
        maildeck.webAdmin().addConsoleAdmin("rotated", "old-Pa55");
        ConsoleClient.Session before = console.login("rotated", "old-Pa55");

        succeeds(server.maildeckWithInput("new-Pa55\n", "console-admin", "passwd", "rotated", "--password-stdin"));

        assertThat(console.get("/domains", before.cookie()).statusCode()).isEqualTo(303);
        assertThat(console.login("rotated", "new-Pa55").cookie()).isNotEqualTo(before.cookie());
    }

    @Test
    void loginGivesANewSessionIdEachTime() throws IOException {
        ConsoleClient.Session first = console.login("root", ROOT_PASSWORD);
        ConsoleClient.Session second = console.login("root", ROOT_PASSWORD);

        assertThat(second.cookie()).isNotEqualTo(first.cookie());
        assertThat(second.csrf()).isNotEqualTo(first.csrf());
    }

    @Test
    void markupInAFieldIsShownEscaped() throws IOException {
        ConsoleClient.Session session = console.login("root", ROOT_PASSWORD);

        HttpResponse<String> refused = console.post("/domains/add", session, Map.of("domain", "<script>alert(1)</script>.test"));
        HttpResponse<String> searched = console.get("/users?q=%3Cscript%3Ealert(2)%3C/script%3E", session.cookie());

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("&lt;script&gt;alert(1)&lt;/script&gt;").doesNotContain("<script>");
        assertThat(searched.statusCode()).isEqualTo(200);
        assertThat(searched.body()).contains("&lt;script&gt;alert(2)&lt;/script&gt;").doesNotContain("<script>");
    }

    @Test
    void overLongFieldIsRefusedAndChangesNothing() throws IOException {
        ConsoleClient.Session session = console.login("root", ROOT_PASSWORD);
        String longDomain = "a".repeat(250) + ".test";

        HttpResponse<String> answer = console.post("/domains/add", session, Map.of("domain", longDomain));

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.body()).contains("longer than 253 characters");
        assertThat(domains()).doesNotContain(longDomain);
    }

    @Test
    void formLargerThanTheLimitIsRefusedAndChangesNothing() throws IOException {
        ConsoleClient.Session session = console.login("root", ROOT_PASSWORD);

        HttpResponse<String> answer = console.post("/domains/add", session, Map.of("domain", "large.test", "padding", "x".repeat(20_000)));

        assertThat(answer.statusCode()).isEqualTo(413);
        assertThat(domains()).doesNotContain("large.test");
    }

    @Test
    void headersLargerThanTheLimitAreRefused() throws IOException {
        HttpResponse<String> answer = console.get("/login", "maildeck_other=" + "x".repeat(10_000));

        assertThat(answer.statusCode()).isEqualTo(431);
    }

    @Test
    void pathTricksFindNothing() throws IOException {
        ConsoleClient.Session session = console.login("root", ROOT_PASSWORD);

        for (String path : new String[] {"/static/%2e%2e/%2e%2e/conf/console.properties", "/%2e%2e/%2e%2e/etc/passwd",
                "/static/..%2fconsole.css", "/domains/..%2F..%2Fusers", "/domains;/..;/users", "/static/console.css/", "/domains%00"}) {
            HttpResponse<String> answer = console.get(path, session.cookie());

            assertThat(answer.statusCode()).as(path).isIn(400, 404);
        }
    }

    @Test
    void otherContentTypesAreRefusedAndChangeNothing() throws IOException {
        ConsoleClient.Session session = console.login("root", ROOT_PASSWORD);

        HttpResponse<String> json = console.postRaw("/domains/add", session.cookie(), "application/json",
            "{\"domain\":\"json.test\",\"csrf\":\"" + session.csrf() + "\"}");
        HttpResponse<String> text = console.postRaw("/domains/add", session.cookie(), "text/plain",
            "domain=text.test&csrf=" + session.csrf());

        assertThat(json.statusCode()).isEqualTo(415);
        assertThat(text.statusCode()).isEqualTo(415);
        assertThat(domains()).doesNotContain("json.test", "text.test");
    }

    @Test
    void domainAdminIsRefusedAnotherDomain() throws IOException {
        maildeck.domain("mine.test");
        maildeck.domain("theirs.test");
        maildeck.webAdmin().addConsoleAdmin("mine-admin", "mine-Pa55", "mine.test");
        ConsoleClient.Session session = console.login("mine-admin", "mine-Pa55");

        HttpResponse<String> page = console.get("/users?domain=theirs.test", session.cookie());
        HttpResponse<String> add = console.post("/users/add", session, Map.of("address", "eve@theirs.test", "password", "x-Pa55"));
        HttpResponse<String> own = console.post("/users/add", session, Map.of("address", "ann@mine.test", "password", "x-Pa55"));

        assertThat(page.statusCode()).isEqualTo(403);
        assertThat(add.statusCode()).isEqualTo(403);
        assertThat(own.statusCode()).isEqualTo(303);
        assertThat(succeeds(server.maildeck("user", "list")).lines()).contains("ann@mine.test").doesNotContain("eve@theirs.test");
    }

    @Test
    void changeIsAuditedInTheMailLogWithTheAdminsName() throws IOException, InterruptedException {
        ConsoleClient.Session session = console.login("root", ROOT_PASSWORD);

        console.post("/domains/add", session, Map.of("domain", "audited.test"));

        assertThat(server.awaitMailLog(Pattern.compile("console: admin=root, client=127\\.0\\.0\\.1, domain add audited\\.test"),
            Duration.ofSeconds(10))).isNotNull();
    }

    @Test
    void refusalOfTheAccountRulesIsTheCommandsMessage() throws IOException {
        ConsoleClient.Session session = console.login("root", ROOT_PASSWORD);

        HttpResponse<String> answer = console.post("/users/add", session, Map.of("address", "bob@unknown-domain.test", "password", "x-Pa55"));

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.body()).contains("unknown domain &#39;unknown-domain.test&#39; (add it with: maildeck domain add unknown-domain.test)");
    }

    @Test
    void catchAllWithMarkupIsRefusedAndShownEscaped() throws IOException {
        ConsoleClient.Session session = console.login("root", ROOT_PASSWORD);

        HttpResponse<String> answer = console.post("/aliases/add", session, Map.of("alias", "@<script>alert(3)</script>.test", "target", "a@b.test"));

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.body()).contains("malformed domain &#39;&lt;script&gt;alert(3)&lt;/script&gt;.test&#39;").doesNotContain("<script>");
    }

    @Test
    void overLongCatchAllIsRefusedAndChangesNothing() throws IOException {
        ConsoleClient.Session session = console.login("root", ROOT_PASSWORD);
        String longCatchAll = "@" + "a".repeat(260) + ".test";

        HttpResponse<String> answer = console.post("/aliases/add", session, Map.of("alias", longCatchAll, "target", "a@b.test"));

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.body()).contains("alias: longer than 254 characters");
        assertThat(aliases()).noneMatch(line -> line.startsWith("@aaa"));
    }

    @Test
    void catchAllWithoutCsrfTokenIsRefusedAndChangesNothing() throws IOException {
        maildeck.domain("catch-no-token.test");
        maildeck.webAdmin().addUser("c@catch-no-token.test", "c-Pa55");
        ConsoleClient.Session session = console.login("root", ROOT_PASSWORD);

        HttpResponse<String> answer = console.postForm("/aliases/add", session.cookie(),
            Map.of("alias", "@catch-no-token.test", "target", "c@catch-no-token.test"));

        assertThat(answer.statusCode()).isEqualTo(403);
        assertThat(aliases()).noneMatch(line -> line.startsWith("@catch-no-token.test"));
    }

    @Test
    void catchAllToAnAddressThatIsNoUserIsRefusedWithTheCommandsMessage() throws IOException {
        maildeck.domain("catch-nobody.test");
        ConsoleClient.Session session = console.login("root", ROOT_PASSWORD);

        HttpResponse<String> answer = console.post("/aliases/add", session, Map.of("alias", "@catch-nobody.test", "target", "nobody@catch-nobody.test"));

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.body()).contains("catch-all target &#39;nobody@catch-nobody.test&#39; is not a user (a catch-all delivers to an account)");
    }

    @Test
    void storageLimitIsSetAndShownWithTheUsage() throws IOException {
        maildeck.domain("quota.test");
        maildeck.webAdmin().addUser("quoted@quota.test", "q-Pa55");
        ConsoleClient.Session session = console.login("root", ROOT_PASSWORD);

        HttpResponse<String> set = console.post("/users/quota", session, Map.of("address", "quoted@quota.test", "storage", "500M"));
        HttpResponse<String> page = console.get("/users?domain=quota.test", session.cookie());

        assertThat(set.statusCode()).isEqualTo(303);
        assertThat(page.body()).containsPattern("<td>quoted@quota\\.test</td>\\s*<td>0 bytes of 500 MiB</td>");
    }

    @Test
    void malformedStorageLimitIsRefused() throws IOException {
        maildeck.domain("badquota.test");
        maildeck.webAdmin().addUser("bad@badquota.test", "q-Pa55");
        ConsoleClient.Session session = console.login("root", ROOT_PASSWORD);

        HttpResponse<String> answer = console.post("/users/quota", session, Map.of("address", "bad@badquota.test", "storage", "lots"));

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.body()).contains("malformed storage limit &#39;lots&#39; (a size such as 500M or 2G, or unlimited)");
    }

    @Test
    void repeatedFailedLoginsLockTheAddressOut() throws IOException, InterruptedException {
        ConsoleClient guesser = console.from("192.0.2.7");
        for (int attempt = 1; attempt <= 5; attempt++) {
            assertThat(guesser.tryLogin("root", "guess-" + attempt).statusCode()).isEqualTo(401);
        }

        HttpResponse<String> rightPassword = guesser.tryLogin("root", ROOT_PASSWORD);

        assertThat(rightPassword.statusCode()).isEqualTo(429);
        assertThat(ConsoleClient.cookie(rightPassword, "maildeck_session")).isEmpty();
        assertThat(server.awaitMailLog(Pattern.compile("192\\.0\\.2\\.7.*all logins locked out.*proto=CONSOLE"), Duration.ofSeconds(10))).isNotNull();
        // another address is not locked out
        assertThat(console.from("192.0.2.8").tryLogin("root", ROOT_PASSWORD).statusCode()).isEqualTo(303);
    }

    @Test
    void consoleAdminListNamesEachAdminsDomains() {
        maildeck.domain("listed-admin.test");
        maildeck.webAdmin().addConsoleAdmin("listed", "l-Pa55", "listed-admin.test");

        assertThat(succeeds(server.maildeck("console-admin", "list")).lines()).contains("root (super-admin)", "listed (listed-admin.test)");
    }

    @Test
    void duplicateConsoleAdminIsRefused() {
        Result duplicate = server.maildeckWithInput("other\n", "console-admin", "add", "root", "--password-stdin");

        assertThat(duplicate.exitCode()).isEqualTo(1);
        assertThat(duplicate.stderr()).contains("maildeck: console admin 'root' already exists");
    }

    private static java.util.List<String> aliases() {
        return succeeds(server.maildeck("alias", "list")).lines().toList();
    }

    /** The local domains, read over WebAdmin as {@code maildeck domain list} reads them: the command is not what these tests check. */
    private static java.util.List<String> domains() {
        return maildeck.webAdmin().domains();
    }

    private static String succeeds(Result result) {
        assertThat(result.exitCode()).as(result.toString()).isZero();
        return result.stdout();
    }
}
