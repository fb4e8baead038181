package org.maildeck.assembly.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.maildeck.antivirus.ClamdProcess;
import org.maildeck.assembly.it.MaildeckInstance.Result;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web console in a real {@link Browser} (headless chromium). The screenshots it takes are
 * the README's pictures (see Browser for where they go).
 */
class ConsoleBrowserIT {

    /** Of its own: its pages (domains, quarantine, status charts) are the README's pictures, with nothing of other classes in them. */
    @RegisterExtension
    static final TestServer maildeck = TestServer.own();
    private static MaildeckInstance server;
    @RegisterExtension
    static final Browser browser = new Browser();

    @BeforeAll
    static void withAdmins() {
        server = maildeck.instance();
        maildeck.webAdmin().addConsoleAdmin("root", "root-Pa55word");
        maildeck.domain("first.test");
        maildeck.domain("second.test");
        maildeck.webAdmin().addConsoleAdmin("first-admin", "first-Pa55", "first.test");
    }

    @Test
    void adminCreatesDomainUserAndAliasAndTheUserLogsInOverImap() throws IOException {
        logIn("root", "root-Pa55word");

        browser.driver().findElement(By.id("new-domain")).sendKeys("browser.test");
        browser.driver().findElement(By.id("add-domain")).click();
        awaitFlash("Domain browser.test added.");

        browser.driver().findElement(By.linkText("Users")).click();
        browser.driver().findElement(By.id("new-user")).sendKeys("carol@browser.test");
        browser.driver().findElement(By.id("new-user-password")).sendKeys("carol-Pa55");
        browser.driver().findElement(By.id("add-user")).click();
        awaitFlash("User carol@browser.test added.");
        screenshot("users");

        browser.driver().findElement(By.linkText("Aliases")).click();
        browser.driver().findElement(By.id("new-alias")).sendKeys("sales@browser.test");
        browser.driver().findElement(By.id("new-alias-target")).sendKeys("carol@browser.test");
        browser.driver().findElement(By.id("add-alias")).click();
        awaitFlash("Alias sales@browser.test -> carol@browser.test added.");
        assertThat(browser.driver().findElement(By.tagName("tbody")).getText()).contains("sales@browser.test", "carol@browser.test");
        screenshot("aliases");

        browser.driver().findElement(By.linkText("Domains")).click();
        screenshot("domains");

        assertThat(imapLogin("carol@browser.test", "carol-Pa55")).isTrue();
        assertThat(succeeds(server.maildeck("alias", "list")).lines()).contains("sales@browser.test -> carol@browser.test");
    }

    @Test
    void adminReleasesAQuarantinedEicarMailWhichIsThenDelivered() throws Exception {
        String user = "dana@first.test";
        maildeck.webAdmin().addUser(user, "dana-Pa55");
        String subject = "eicar " + UUID.randomUUID();
        try (SmtpClient smtp = SmtpClient.connect(server.port("smtp"))) {
            SmtpClient.expect(smtp.command("EHLO client.test"), 250);
            SmtpClient.expect(smtp.send(user, List.of(user), ("From: " + user + "\r\nTo: " + user + "\r\nSubject: " + subject
                + "\r\n\r\n" + ClamdProcess.EICAR + "\r\n").getBytes(StandardCharsets.ISO_8859_1)), 250);
        }
        String id = server.awaitQuarantined("virus", subject, Duration.ofSeconds(150));
        logIn("root", "root-Pa55word");

        browser.driver().findElement(By.linkText("Quarantine")).click();
        browser.driver().findElement(By.cssSelector("a[href='/quarantine?id=" + id + "']")).click();
        assertThat(browser.driver().findElement(By.cssSelector(".report")).getText()).isEqualTo(ClamdProcess.SIGNATURE);
        assertThat(browser.driver().findElement(By.cssSelector(".headers")).getText()).contains("Subject: " + subject);
        screenshot("quarantine-entry");
        browser.driver().findElement(By.id("release")).click();

        awaitFlashMatching(Pattern.compile("^" + Pattern.quote("Message " + id + " released, queue id ")));
        assertThat(MaildirOnDisk.awaitMessageContaining(server.maildir(user), Duration.ofSeconds(150), subject)).isPresent();
    }

    @Test
    void domainAdminIsRefusedAnotherDomainsPage() {
        logIn("first-admin", "first-Pa55");

        browser.driver().get(base() + "/users?domain=second.test");

        assertThat(browser.driver().findElement(By.cssSelector(".error")).getText()).isEqualTo("domain 'second.test' is not one of yours");
        // still logged in, with the menu to go on
        browser.driver().findElement(By.linkText("Domains")).click();
        assertThat(browser.driver().findElement(By.tagName("tbody")).getText()).contains("first.test").doesNotContain("second.test");
    }

    @Test
    void mailUserChangesItsPasswordAndTurnsItsVacationReplyOn() throws IOException {
        String user = "erin@first.test";
        maildeck.webAdmin().addUser(user, "erin-Pa55");
        logIn("/account/login", user, "erin-Pa55", "Your account " + user);

        browser.driver().findElement(By.id("old-password")).sendKeys("erin-Pa55");
        browser.driver().findElement(By.id("new-password")).sendKeys("erin-New-Pa55");
        browser.driver().findElement(By.id("new-password-again")).sendKeys("erin-New-Pa55");
        browser.driver().findElement(By.id("change-password")).click();
        awaitFlash("Password changed.");
        browser.driver().findElement(By.id("vacation-subject")).sendKeys("Away until Monday");
        browser.driver().findElement(By.id("vacation-text")).sendKeys("I am away and read no mail.\nUrgent: call the desk.");
        browser.driver().findElement(By.id("vacation-on")).click();

        awaitFlash("Vacation reply on.");
        assertThat(browser.driver().findElement(By.id("vacation-state")).getText()).startsWith("On:");
        assertThat(browser.driver().findElement(By.id("vacation-subject")).getAttribute("value")).isEqualTo("Away until Monday");
        screenshot("account");
        assertThat(imapLogin(user, "erin-New-Pa55")).isTrue();
    }

    @Test
    void aFormWhoseCsrfTokenWasTamperedWithIsRefusedAndChangesNothing() {
        logIn("root", "root-Pa55word");

        // what a page of another site would post: the form without this session's token
        ((org.openqa.selenium.JavascriptExecutor) browser.driver())
            .executeScript("document.querySelector('form[action=\"/domains/add\"] input[name=csrf]').value = 'forged';");
        browser.driver().findElement(By.id("new-domain")).sendKeys("tampered.test");
        browser.driver().findElement(By.id("add-domain")).click();

        new WebDriverWait(browser.driver(), Duration.ofSeconds(10)).until(ExpectedConditions.textToBe(By.tagName("h1"), "Refused"));
        assertThat(browser.driver().findElement(By.tagName("main")).getText()).contains("missing or wrong CSRF token", "nothing was changed");
        assertThat(String.join("\n", maildeck.webAdmin().domains())).doesNotContain("tampered.test");
    }

    @Test
    void adminSeesTheStatusPageWithTheListenersAndTheLastHoursCharts() throws IOException {
        logIn("root", "root-Pa55word");

        browser.driver().findElement(By.linkText("Status")).click();

        new WebDriverWait(browser.driver(), Duration.ofSeconds(10)).until(ExpectedConditions.textToBe(By.tagName("h1"), "Status"));
        assertThat(browser.driver().findElement(By.id("listeners")).getText()).contains("smtpserver", "accepting");
        assertThat(browser.driver().findElements(By.cssSelector("figure.chart svg polyline"))).isNotEmpty();
        assertThat(browser.driver().findElements(By.cssSelector("figure.chart figcaption")).stream().map(WebElement::getText))
            .contains("Messages per minute (messages)", "Queue depth (messages)");
        ((org.openqa.selenium.JavascriptExecutor) browser.driver()).executeScript("document.getElementById('queues').scrollIntoView();");
        screenshot("status");
    }

    @Test
    void logoutEndsTheSession() {
        logIn("root", "root-Pa55word");

        browser.driver().findElement(By.id("logout")).click();
        browser.driver().get(base() + "/domains");

        assertThat(browser.driver().getCurrentUrl()).isEqualTo(base() + "/login");
        assertThat(browser.driver().findElement(By.tagName("h1")).getText()).isEqualTo("Log in");
    }

    private void logIn(String name, String password) {
        logIn("/login", name, password, "Domains");
    }

    private void logIn(String loginPath, String name, String password, String landingTitle) {
        browser.driver().get(base() + loginPath);
        browser.driver().findElement(By.id("name")).sendKeys(name);
        browser.driver().findElement(By.id("password")).sendKeys(password);
        browser.driver().findElement(By.id("login")).click();
        // the login page has an h1 too: wait for the one of the next page (a stale element is retried)
        new WebDriverWait(browser.driver(), Duration.ofSeconds(10)).until(ExpectedConditions.textToBe(By.tagName("h1"), landingTitle));
    }

    /**
     * Waits for the flash line of the page the last click leads to: until that page has loaded,
     * the previous page's flash is still found, then goes stale (a stale element is retried).
     */
    private void awaitFlash(String expected) {
        awaitFlashMatching(Pattern.compile("^" + Pattern.quote(expected) + "$"));
    }

    private void awaitFlashMatching(Pattern pattern) {
        new WebDriverWait(browser.driver(), Duration.ofSeconds(10)).until(ExpectedConditions.textMatches(By.cssSelector(".flash"), pattern));
    }

    private void screenshot(String name) throws IOException {
        browser.screenshot("console-" + name);
    }

    private static String base() {
        return "http://127.0.0.1:" + server.port("console");
    }

    private static boolean imapLogin(String user, String password) throws IOException {
        try (ImapWire imap = ImapWire.connect(server.port("imap"))) {
            ImapWire.Reply login = imap.command("LOGIN \"" + user + "\" \"" + password + "\"");
            return login.isOk();
        }
    }

    private static String succeeds(Result result) {
        assertThat(result.exitCode()).as(result.toString()).isZero();
        return result.stdout();
    }
}
