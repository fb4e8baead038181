package org.maildeck.assembly.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.maildeck.antispam.SpamdProcess;

/**
 * The spam settings that are not the shipped defaults: {@code onSpamdFailure} at tempfail (mail
 * waits for spamd instead of passing unchecked) and {@code SpamHeaders}' report, against a real
 * spamd. Mail comes from 127.0.0.2, outside the trusted networks.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class SpamPolicyIT {

    private static final String DOMAIN = "spampolicy.maildeck.test";
    private static final String USER = "erin@" + DOMAIN;
    /* Mail put back for a later scan waits for the queue's next poll. */
    private static final Duration WAIT = Duration.ofSeconds(150);

    /** Of its own: the tests stop its spamd, which every class on the server would see. */
    @RegisterExtension
    static final TestServer maildeck = TestServer.own(() -> MaildeckInstance.createWithSpamd((fileName, content) -> switch (fileName) {
        case "mailetcontainer.xml" -> content
            .replace("<onSpamdFailure>pass</onSpamdFailure>", "<onSpamdFailure>tempfail</onSpamdFailure>")
            .replace("<report>false</report>", "<report>true</report>")
            .replace("<delays>1m, 2m, 4m, 8m, 15m, 30m, 1h</delays>", "<delays>2s</delays>");
        // never killed, so GTUBE is delivered with its headers
        case "contentfilter.properties" -> content.replaceFirst("(?m)^spam\\.levels=.*$", "spam.levels=2.0 5.0 off")
            .replaceFirst("(?m)^breaker\\.open\\.for=.*$", "breaker.open.for=2s");
        default -> content;
    }));
    private static MaildeckInstance server;

    @BeforeAll
    static void setUp() {
        server = maildeck.instance();
        maildeck.domain(DOMAIN).webAdmin().addUser(USER, "Policy-Pa55word");
    }

    private static void sendFromOutside(String subject, String body) throws IOException {
        String message = "From: someone@elsewhere.example\r\nTo: " + USER + "\r\nSubject: " + subject + "\r\n"
            + "Date: Sat, 21 Nov 2026 12:00:00 +0000\r\nMessage-ID: <" + UUID.randomUUID() + "@elsewhere.example>\r\n\r\n" + body + "\r\n";
        try (SmtpClient smtp = SmtpClient.connectFrom("127.0.0.2", server.port("smtp"))) {
            SmtpClient.expect(smtp.command("EHLO outside.example"), 250);
            SmtpClient.expect(smtp.send("someone@elsewhere.example", List.of(USER), message.getBytes(ISO_8859_1)), 250);
        }
    }

    @Test
    void taggedMailCarriesSpamAssassinsReport() throws Exception {
        String subject = "report " + UUID.randomUUID();

        sendFromOutside(subject, SpamdProcess.GTUBE);

        String delivered = MaildirOnDisk.awaitMessageContaining(MaildirOnDisk.folder(server.maildir(USER), "Junk"), WAIT, subject).orElseThrow();
        assertThat(delivered).contains("X-Spam-Report: ");
        assertThat(delivered.replaceAll("\r\n\t", " ")).contains("Content analysis details").contains("GTUBE");
    }

    @Test
    void withTempfailMailWaitsWhileSpamdIsDownAndIsScoredOnceItIsBack() throws Exception {
        String subject = "tempfail " + UUID.randomUUID();
        server.spamd().stop();
        try {
            sendFromOutside(subject, SpamdProcess.GTUBE);

            server.awaitLog("deferred (spamassassin: ", WAIT);
            assertThat(MaildirOnDisk.awaitMessageContaining(MaildirOnDisk.folder(server.maildir(USER), "Junk"), Duration.ofSeconds(3), subject))
                .as("not delivered unchecked").isEmpty();
            assertThat(MaildirOnDisk.awaitMessageContaining(server.maildir(USER), Duration.ofSeconds(1), subject)).isEmpty();
        } finally {
            server.spamd().restart();
        }

        String delivered = MaildirOnDisk.awaitMessageContaining(MaildirOnDisk.folder(server.maildir(USER), "Junk"), WAIT, subject).orElseThrow();
        assertThat(delivered).contains("X-Spam-Flag: YES").doesNotContain("X-Spam-Status: unchecked");
    }
}
