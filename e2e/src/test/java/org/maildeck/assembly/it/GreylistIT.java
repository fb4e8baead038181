package org.maildeck.assembly.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Greylisting at RCPT (GreylistHook in smtpserver.xml, turned on here with a 2-second delay and
 * clients allowed after 2 passing retries) over real SMTP. Each test's client is an address of a
 * /24 of its own in 127.0.0.0/8 (greylisting knows clients by their /24), outside the trusted
 * networks; the waits are the configured delay, not the shipped 300 s.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class GreylistIT {

    private static final String DOMAIN = "greylist-local.maildeck.test";
    private static final String USER = "alice@" + DOMAIN;
    private static final String OTHER_USER = "bob@" + DOMAIN;
    private static final String PASSWORD = "Grey-Pa55word";
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Duration DELAY = Duration.ofSeconds(2);
    private static final String ALLOWED_NETWORK = "127.31.8.0/24";

    private static MaildeckInstance server;

    @BeforeAll
    static void start() throws Exception {
        String greylisting = """
            <handler class="org.maildeck.mailauth.GreylistHook">
                <delay>%d</delay>
                <autoAllowClients>2</autoAllowClients>
                <allow>%s</allow>
                <see>https://greylisting.example/help</see>
            </handler>""".formatted(DELAY.toSeconds(), ALLOWED_NETWORK);
        server = MaildeckInstance.create((fileName, content) -> fileName.equals("smtpserver.xml")
            ? content.replaceFirst("(?s)<!--GREYLIST.*?GREYLIST-->", greylisting)
            : content).start();
        new WebAdmin(server).addDomain(DOMAIN).addUser(USER, PASSWORD).addUser(OTHER_USER, PASSWORD);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static String sender() {
        return "sender-" + SpfIT.marker() + "@elsewhere.test";
    }

    /** One attempt from {@code client}: the reply to RCPT, and when accepted the mail sent through DATA (250 asserted). */
    private static SmtpClient.Reply attempt(String client, String sender, String recipient) throws Exception {
        try (SmtpClient smtp = SmtpClient.connectFrom(client, server.port("smtp"))) {
            SmtpClient.expect(smtp.command("EHLO client.greylist.test"), 250);
            SmtpClient.expect(smtp.command("MAIL FROM:<" + sender + ">"), 250);
            SmtpClient.Reply rcpt = smtp.command("RCPT TO:<" + recipient + ">");
            if (rcpt.code() == 250) {
                SmtpClient.expect(smtp.command("DATA"), 354);
                SmtpClient.expect(smtp.sendData(("Subject: greylist\r\n\r\nHello.\r\n").getBytes(ISO_8859_1)), 250);
            }
            return rcpt;
        }
    }

    private static void assertGreylisted(SmtpClient.Reply reply) {
        assertThat(reply.code()).as("%s", reply).isEqualTo(451);
        assertThat(reply.toString()).contains("4.7.1 Greylisted, see https://greylisting.example/help");
    }

    private static void assertAccepted(SmtpClient.Reply reply) {
        assertThat(reply.code()).as("%s", reply).isEqualTo(250);
    }

    /** First attempt greylisted, a retry after the delay accepted: the triplet is known from then on. */
    private static void passGreylisting(String client, String sender, String recipient) throws Exception {
        assertGreylisted(attempt(client, sender, recipient));
        Thread.sleep(DELAY.plusMillis(500).toMillis());
        assertAccepted(attempt(client, sender, recipient));
    }

    @Test
    void theFirstAttemptIsGreylistedWith451AndLogged() throws Exception {
        String sender = sender();

        assertGreylisted(attempt("127.31.1.5", sender, USER));

        server.awaitMailLog(Pattern.compile("greylist=new client=\\S*\\[127\\.31\\.1\\.5\\] from=<" + Pattern.quote(sender) + ">"), WAIT);
        server.awaitMailLog(Pattern.compile("NOQUEUE: reject: RCPT from \\S*\\[127\\.31\\.1\\.5\\]: 451 4\\.7\\.1 Greylisted, see .*; from=<"
            + Pattern.quote(sender) + "> to=<" + Pattern.quote(USER) + "> proto=ESMTP helo=<client\\.greylist\\.test>"), WAIT);
    }

    @Test
    void aRetryBeforeTheDelayIsGreylistedAgain() throws Exception {
        String sender = sender();
        assertGreylisted(attempt("127.31.2.5", sender, USER));

        assertGreylisted(attempt("127.31.2.5", sender, USER));
        server.awaitMailLog(Pattern.compile("greylist=early client=\\S*\\[127\\.31\\.2\\.5\\] from=<" + Pattern.quote(sender) + ">"), WAIT);
    }

    @Test
    void aRetryAfterTheDelayFromAnotherAddressOfTheNetworkIsAccepted() throws Exception {
        String sender = sender();
        assertGreylisted(attempt("127.31.3.5", sender, USER));
        Thread.sleep(DELAY.plusMillis(500).toMillis());

        assertAccepted(attempt("127.31.3.6", sender, USER));
    }

    @Test
    void laterMailOfAPassedTripletIsAcceptedAtOnce() throws Exception {
        String sender = sender();
        passGreylisting("127.31.4.5", sender, USER);

        assertAccepted(attempt("127.31.4.5", sender, USER));
        server.awaitMailLog(Pattern.compile("greylist=known client=\\S*\\[127\\.31\\.4\\.5\\] from=<" + Pattern.quote(sender) + ">"), WAIT);
    }

    @Test
    void aClientIsAllowedAfterTwoPassingRetries() throws Exception {
        passGreylisting("127.31.5.5", sender(), USER);
        passGreylisting("127.31.5.5", sender(), OTHER_USER);

        assertAccepted(attempt("127.31.5.5", sender(), USER));
        server.awaitMailLog(Pattern.compile("greylist=client-allowed client=\\S*\\[127\\.31\\.5\\.5\\]"), WAIT);
    }

    @Test
    void theNullSenderIsGreylistedAsATripletOfItsOwn() throws Exception {
        assertGreylisted(attempt("127.31.6.5", "", USER));
        server.awaitMailLog(Pattern.compile("greylist=new client=\\S*\\[127\\.31\\.6\\.5\\] from=<> to="), WAIT);
    }

    @Test
    void aClientOfTheAllowListIsNotGreylisted() throws Exception {
        assertAccepted(attempt("127.31.8.5", sender(), USER));
    }

    @Test
    void aTrustedClientIsNotGreylisted() throws Exception {
        assertAccepted(attempt("127.0.0.1", sender(), USER));
    }

    @Test
    void aLoggedInClientIsNotGreylisted() throws Exception {
        String subject = "greylist authenticated " + SpfIT.marker();

        Swaks.Run run = Swaks.to(server.port("smtp")).from("127.31.9.5").startTls().auth("PLAIN", USER, PASSWORD)
            .envelope(USER, OTHER_USER).subject(subject).run();

        assertThat(run.exitCode()).as("%s", run).isZero();
        assertThat(MaildirOnDisk.awaitMessageContaining(server.maildir(OTHER_USER), WAIT, subject)).isPresent();
    }

    @Test
    void aPassedTripletIsStillKnownAfterARestart() throws Exception {
        String sender = sender();
        passGreylisting("127.31.10.5", sender, USER);

        server.stop();
        server.start();

        assertAccepted(attempt("127.31.10.5", sender, USER));
        server.awaitMailLog(Pattern.compile("greylist=known client=\\S*\\[127\\.31\\.10\\.5\\] from=<" + Pattern.quote(sender) + ">"), WAIT);
    }
}
