package org.maildeck.assembly.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.maildeck.antispam.SpamdProcess;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Roundcube (Debian's package, {@link RoundcubeProcess}) in a real {@link Browser}, configured
 * against Maildeck's IMAP and submission as the README says: a user reads a message Maildeck
 * delivered, sends one through submission with AUTH, moves one to Junk (which teaches the
 * server's spamd, the learning of {@code JunkLearning}), and sees folders whose names are not
 * ASCII (modified UTF-7 on the wire) as they are.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class RoundcubeWebmailIT {

    private static final String DOMAIN = "webmail.maildeck.test";
    private static final Duration DELIVERY = Duration.ofSeconds(60);

    @RegisterExtension
    static final TestServer maildeck = TestServer.own(() -> MaildeckInstance.createWithSpamd((fileName, content) -> content));
    private static MaildeckInstance server;
    private static RoundcubeProcess roundcube;
    @RegisterExtension
    static final Browser browser = new Browser();

    @BeforeAll
    static void startRoundcube() {
        server = maildeck.instance();
        roundcube = RoundcubeProcess.start(server);
    }

    @AfterAll
    static void stopRoundcube() {
        if (roundcube != null) {
            roundcube.close();
        }
    }

    @Test
    void userReadsAMessageMaildeckDelivered() throws Exception {
        String user = newUser("reader");
        String subject = "delivered by Maildeck " + UUID.randomUUID();
        SmtpClient.deliver(server.port("smtp"), "someone@client.test", List.of(user),
            message("someone@client.test", user, subject, "The body Roundcube shows."));
        assertThat(MaildirOnDisk.awaitMessageContaining(server.maildir(user), DELIVERY, subject)).isPresent();

        logIn(user);
        open(subject);

        assertThat(browser.driver().findElement(By.id("messagebody")).getText()).contains("The body Roundcube shows.");
        browser.screenshot("webmail-message");
    }

    @Test
    void userSendsAMessageThroughSubmissionWithAuth() throws Exception {
        String user = newUser("sender");
        String recipient = newUser("recipient");
        String subject = "sent from Roundcube " + UUID.randomUUID();
        logIn(user);

        browser.driver().get(roundcube.url() + "?_task=mail&_action=compose");
        WebElement to = browser.driver().findElement(By.cssSelector("#compose_to input"));
        to.sendKeys(recipient + ",");
        browser.driver().findElement(By.id("compose-subject")).sendKeys(subject);
        browser.driver().findElement(By.id("composebody")).sendKeys("Written in the browser.");
        browser.screenshot("webmail-compose");
        browser.driver().findElement(By.cssSelector("button.send")).click();

        String delivered = MaildirOnDisk.awaitMessageContaining(server.maildir(recipient), DELIVERY, subject)
            .orElseThrow(() -> new AssertionError("not delivered; Roundcube says:\n" + roundcube.log()));
        assertThat(delivered).contains("Written in the browser.").contains("From: " + user);
        // Roundcube logged in to submission with the user's password
        server.awaitMailLog(Pattern.compile(Pattern.quote("SASL authentication succeeded, sasl_username=" + user + ", proto=SMTP")), DELIVERY);
    }

    @Test
    void movingAMessageToJunkTeachesSpamd() throws Exception {
        String user = newUser("junker");
        String subject = "unwanted offer " + UUID.randomUUID();
        SmtpClient.deliver(server.port("smtp"), "offers@client.test", List.of(user),
            message("offers@client.test", user, subject, "Words nobody used before: " + UUID.randomUUID() + " " + UUID.randomUUID()));
        assertThat(MaildirOnDisk.awaitMessageContaining(server.maildir(user), DELIVERY, subject)).isPresent();
        SpamdProcess.BayesCounts before = server.spamd().bayesCounts();
        logIn(user);
        open(subject);

        // More, Move to..., Junk: the folder selector Roundcube pops up
        browser.driver().findElement(By.cssSelector("a[data-popup='message-menu']")).click();
        browser.driver().findElement(By.cssSelector("#message-menu a.move")).click();
        browser.driver().findElement(By.xpath("//div[@id='folder-selector']//a[span[text()='Junk']]")).click();

        assertThat(MaildirOnDisk.awaitMessageContaining(MaildirOnDisk.folder(server.maildir(user), "Junk"), DELIVERY, subject)).isPresent();
        long deadline = System.nanoTime() + DELIVERY.toNanos();
        while (server.spamd().bayesCounts().spam() < before.spam() + 1 && System.nanoTime() < deadline) {
            Thread.sleep(500);
        }
        assertThat(server.spamd().bayesCounts()).isEqualTo(new SpamdProcess.BayesCounts(before.spam() + 1, before.ham()));
    }

    @Test
    void foldersWithNonAsciiNamesAreShownAsTheyAre() throws Exception {
        String user = newUser("folders");
        try (ImapClient imap = ImapClient.login("Maildeck", server.port("imap"), user, TestServer.PASSWORD)) {
            // modified UTF-7 (RFC 3501 5.1.3, "," for base64's "/"): Entwürfe and Αρχείο; subscribed, as Roundcube
            // lists the subscribed folders
            for (String folder : List.of("Entw&APw-rfe", "&A5EDwQPHA7UDrwO,-")) {
                assertThat(imap.command("CREATE \"" + folder + "\"").tagged()).contains(" OK ");
                assertThat(imap.command("SUBSCRIBE \"" + folder + "\"").tagged()).contains(" OK ");
            }
        }

        logIn(user);

        new WebDriverWait(browser.driver(), Duration.ofSeconds(20)).until(ExpectedConditions.textToBePresentInElementLocated(By.id("mailboxlist"), "Entwürfe"));
        assertThat(browser.driver().findElement(By.id("mailboxlist")).getText()).contains("Entwürfe", "Αρχείο").doesNotContain("&");
        browser.screenshot("webmail-folders");
    }

    private void logIn(String user) {
        browser.driver().get(roundcube.url());
        browser.driver().findElement(By.id("rcmloginuser")).sendKeys(user);
        browser.driver().findElement(By.id("rcmloginpwd")).sendKeys(TestServer.PASSWORD, Keys.ENTER);
        new WebDriverWait(browser.driver(), Duration.ofSeconds(30)).until(ExpectedConditions.presenceOfElementLocated(By.id("messagelist")));
    }

    /** Opens the message of the list whose subject is {@code subject}, as a double click would. */
    private void open(String subject) {
        WebElement link = new WebDriverWait(browser.driver(), Duration.ofSeconds(30)).until(ExpectedConditions.presenceOfElementLocated(
            By.xpath("//table[@id='messagelist']//a[contains(., '" + subject + "')]")));
        browser.driver().get(link.getAttribute("href"));
        new WebDriverWait(browser.driver(), Duration.ofSeconds(30)).until(ExpectedConditions.presenceOfElementLocated(By.id("messagebody")));
    }

    private static String newUser(String prefix) {
        return maildeck.domain(DOMAIN).newUser(prefix, DOMAIN);
    }

    private static byte[] message(String from, String to, String subject, String body) {
        return ("From: " + from + "\r\nTo: " + to + "\r\nSubject: " + subject + "\r\nMessage-ID: <" + UUID.randomUUID()
            + "@client.test>\r\n\r\n" + body + "\r\n").getBytes(ISO_8859_1);
    }
}
