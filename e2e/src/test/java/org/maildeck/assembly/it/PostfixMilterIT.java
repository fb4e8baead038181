package org.maildeck.assembly.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.maildeck.antispam.SpamdProcess;
import org.maildeck.antivirus.ClamdProcess;

/**
 * A real Postfix ({@link PostfixProcess}) with Maildeck as its before-queue milter
 * ({@code smtpd_milters = inet:127.0.0.1:<milter port>}, {@code milter_default_action = tempfail}),
 * relaying what it accepts to an {@link SmtpSink}, so that what arrives there is exactly what
 * Postfix made of the milter's answers. Maildeck scans with its real clamd and spamd and the
 * shipped milter.properties (virus and banned: reject; spam at the kill level: discard); one
 * recipient has no kill level, so GTUBE is tagged for it instead.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class PostfixMilterIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String SPAM_LOVER = "lover@next.test";

    @RegisterExtension
    static final TestServer maildeck = TestServer.own(() -> MaildeckInstance.createWithSpamd((fileName, content) ->
        fileName.equals("contentfilter.properties") ? content + "\nspam.levels." + SPAM_LOVER + "=- - off\n" : content));
    private static SmtpSink nextHop;
    private static PostfixProcess postfix;

    @BeforeAll
    static void startPostfix() throws Exception {
        nextHop = new SmtpSink();
        postfix = PostfixProcess.start(PostfixProcess.Options.relayingTo(nextHop.port()).milter(maildeck.port("milter")));
    }

    @AfterAll
    static void stopPostfix() throws Exception {
        ClassScopedResources.closeAll(postfix, nextHop);
    }

    private static SmtpClient.Reply send(String recipient, String message) throws Exception {
        try (SmtpClient smtp = SmtpClient.connect(postfix.smtpPort())) {
            SmtpClient.expect(smtp.command("EHLO client.test"), 250);
            return smtp.send("sender@client.test", List.of(recipient), message.getBytes(ISO_8859_1));
        }
    }

    /** The first reply of MAIL, RCPT, DATA or the final dot that is not a success. */
    private static SmtpClient.Reply firstRefusal(String recipient, String message) throws Exception {
        try (SmtpClient smtp = SmtpClient.connect(postfix.smtpPort())) {
            SmtpClient.expect(smtp.command("EHLO client.test"), 250);
            for (String command : List.of("MAIL FROM:<sender@client.test>", "RCPT TO:<" + recipient + ">", "DATA")) {
                SmtpClient.Reply reply = smtp.command(command);
                if (reply.code() >= 400) {
                    return reply;
                }
            }
            return smtp.sendData(message.getBytes(ISO_8859_1));
        }
    }

    private static String message(String recipient, String subject, String moreHeaders, String body) {
        return "From: sender@client.test\r\nTo: " + recipient + "\r\nSubject: " + subject + "\r\n" + moreHeaders
            + "Message-ID: <" + UUID.randomUUID() + "@client.test>\r\n\r\n" + body + "\r\n";
    }

    @Test
    void cleanMailIsDeliveredByPostfixWithMaildecksHeadersAndNoForgedOnes() throws Exception {
        String recipient = "clean-" + UUID.randomUUID() + "@next.test";

        SmtpClient.expect(send(recipient, message(recipient, "clean", "X-Spam-Flag: YES\r\nX-Virus-Scanned: forged\r\n", "hello")), 250);

        String delivered = nextHop.awaitMessageFor(recipient, WAIT).orElseThrow().data();
        assertThat(delivered).contains("X-Virus-Scanned: Maildeck (ClamAV ").doesNotContain("forged").doesNotContain("X-Spam-Flag");
    }

    @Test
    void eicarIsRefusedAtDataWith554UnderPostfixsQueueId() throws Exception {
        String recipient = "virus-" + UUID.randomUUID() + "@next.test";

        SmtpClient.Reply reply = send(recipient, message(recipient, "virus", "", ClamdProcess.EICAR));

        assertThat(reply.toString()).contains("554 5.7.0 Virus found: " + ClamdProcess.SIGNATURE);
        String postfixLine = postfix.awaitMailLog("milter-reject: END-OF-MESSAGE .*Virus found: .*to=<" + Pattern.quote(recipient) + ">");
        Matcher queueId = Pattern.compile("postfix-test/\\S+\\[\\d+\\]: ([0-9A-F]+): milter-reject").matcher(postfixLine);
        assertThat(queueId.find()).as(postfixLine).isTrue();
        maildeck.instance().awaitMailLog(Pattern.compile(queueId.group(1) + ": milter-reject: END-OF-MESSAGE from \\S+: 554 5\\.7\\.0 Virus found"), WAIT);
        assertThat(nextHop.awaitMessageFor(recipient, Duration.ofSeconds(2))).isEmpty();
    }

    @Test
    void gtubeAtTheKillLevelIsAcceptedByPostfixAndDiscardedIntoMaildecksQuarantine() throws Exception {
        String recipient = "spam-" + UUID.randomUUID() + "@next.test";

        // a milter discard: Postfix answers 250 and drops the message (milter-discard in its log)
        SmtpClient.expect(send(recipient, message(recipient, "spam " + recipient, "", SpamdProcess.GTUBE)), 250);

        postfix.awaitMailLog("milter-discard: END-OF-MESSAGE .*to=<" + Pattern.quote(recipient) + ">");
        maildeck.instance().awaitQuarantined("spam", "spam " + recipient, WAIT);
        assertThat(nextHop.awaitMessageFor(recipient, Duration.ofSeconds(2))).isEmpty();
    }

    @Test
    void gtubeForARecipientWithoutKillLevelArrivesTaggedThroughPostfix() throws Exception {
        String subject = "tagged " + UUID.randomUUID();

        SmtpClient.expect(send(SPAM_LOVER, message(SPAM_LOVER, subject, "", SpamdProcess.GTUBE)), 250);

        // the only message of this class for that recipient
        String delivered = nextHop.awaitMessageFor(SPAM_LOVER, WAIT).orElseThrow().data();
        assertThat(delivered).contains("X-Spam-Flag: YES", "Subject: ***SPAM*** " + subject).containsPattern("X-Spam-Status: Yes, score=");
    }

    @Test
    void bannedAttachmentIsRefusedAtDataPerItsShippedDestiny() throws Exception {
        String recipient = "banned-" + UUID.randomUUID() + "@next.test";
        String boundary = "b-" + UUID.randomUUID();
        String message = message(recipient, "banned", "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"" + boundary + "\"\r\n",
            "--" + boundary + "\r\nContent-Type: text/plain\r\n\r\nrun it\r\n"
            + "--" + boundary + "\r\nContent-Type: application/octet-stream\r\n"
            + "Content-Disposition: attachment; filename=\"setup.exe\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            + Base64.getMimeEncoder().encodeToString("MZ harmless".getBytes(ISO_8859_1)) + "\r\n--" + boundary + "--");

        SmtpClient.Reply reply = send(recipient, message);

        assertThat(reply.toString()).contains("554 5.7.0 Banned attachment: setup.exe");
        assertThat(nextHop.awaitMessageFor(recipient, Duration.ofSeconds(2))).isEmpty();
    }

    @Test
    void maildeckStoppedMakesPostfixTempfailAndKeepNothing() throws Exception {
        String recipient = "down-" + UUID.randomUUID() + "@next.test";
        maildeck.instance().stop();
        try {
            SmtpClient.Reply refusal = firstRefusal(recipient, message(recipient, "while Maildeck is down", "", "later"));

            // Postfix finds the milter unreachable at the start of the session and refuses the transaction
            assertThat(refusal.toString()).contains("451 4.7.1 Service unavailable - try again later");
        } finally {
            maildeck.instance().start();
        }
        assertThat(nextHop.awaitMessageFor(recipient, Duration.ofSeconds(2))).isEmpty();
    }
}
