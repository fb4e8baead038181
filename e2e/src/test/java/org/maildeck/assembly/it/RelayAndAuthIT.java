package org.maildeck.assembly.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The relay and SMTP AUTH policy, driven with swaks from trusted (127.0.0.1) and untrusted
 * (127.0.0.2 and up) client addresses. Relayed mail goes, through the smarthost setting, to a
 * receiving SMTP server of the test, so "relays" means the message really left.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class RelayAndAuthIT {

    private static final String DOMAIN = "relay.maildeck.test";
    private static final String USER = "alice@" + DOMAIN;
    private static final String OTHER_USER = "bob@" + DOMAIN;
    private static final String ALIAS = "sales@" + DOMAIN;
    private static final String PASSWORD = "Correct-Horse-7";
    private static final String RELAY_DOMAIN = "partner.example";
    private static final Duration DELIVERY = Duration.ofSeconds(60);

    private static SmtpSink sink;
    private static MaildeckInstance server;

    @BeforeAll
    static void startServer() throws Exception {
        sink = new SmtpSink();
        server = MaildeckInstance.create((fileName, content) -> switch (fileName) {
            case "smtpserver.xml" -> content
                .replaceFirst("<relayDomains></relayDomains>", "<relayDomains>" + RELAY_DOMAIN + "</relayDomains>")
                .replace("<mayUseAnySender></mayUseAnySender>", "<mayUseAnySender>" + OTHER_USER + "</mayUseAnySender>")
                .replaceFirst("<plaintextFromTrustedNetworks>false</plaintextFromTrustedNetworks>",
                    "<plaintextFromTrustedNetworks>true</plaintextFromTrustedNetworks>");
            case "auththrottle.properties" -> content
                .replace("#failureDelay=1s", "failureDelay=100ms")
                .replace("#maxFailureDelay=8s", "maxFailureDelay=400ms")
                .replace("#maxFailures=5", "maxFailures=3")
                .replace("#lockout=10m", "lockout=2m");
            case "mailetcontainer.xml" -> sink.asGatewayIn(content);
            default -> content;
        }).start();
        new WebAdmin(server).addDomain(DOMAIN).addUser(USER, PASSWORD).addUser(OTHER_USER, PASSWORD).addAlias(ALIAS, USER);
    }

    @AfterAll
    static void stopServer() throws Exception {
        ClassScopedResources.closeAll(server, sink);
    }

    private static String remoteRecipient() {
        return "r-" + UUID.randomUUID().toString().substring(0, 8) + "@remote.example";
    }

    private static String subject() {
        return "relay test " + UUID.randomUUID();
    }

    // --- who may relay ------------------------------------------------------------------------

    @Test
    void aClientInTheTrustedNetworksRelaysToARemoteDomain() throws Exception {
        String recipient = remoteRecipient();

        Swaks.Run run = Swaks.to(server.port("smtp")).from("127.0.0.1").envelope("app@elsewhere.example", recipient).run();

        assertThat(run.exitCode()).as("%s", run).isZero();
        assertThat(sink.awaitMessageFor(recipient, DELIVERY)).as("message at the next hop").isPresent();
    }

    @Test
    void anOutsiderIsRefusedRelayAtRcpt() throws Exception {
        String recipient = remoteRecipient();

        Swaks.Run run = Swaks.to(server.port("smtp")).from("127.0.0.2").envelope("eve@elsewhere.example", recipient).run();

        assertThat(run.exitCode()).as("swaks: no recipient accepted").isEqualTo(24);
        assertThat(run.serverSaid("554 5.7.1 <" + recipient + ">: Relay access denied")).as("%s", run).isTrue();
    }

    @Test
    void aRelayRefusalIsLoggedWithTheClientAndTheAddresses() throws Exception {
        String recipient = remoteRecipient();

        Swaks.to(server.port("smtp")).from("127.0.0.2").envelope("eve@elsewhere.example", recipient).quitAfter("RCPT").run();

        assertThat(server.serverLog()).contains("NOQUEUE: reject: RCPT from unknown[127.0.0.2]: 554 5.7.1 <" + recipient
            + ">: Relay access denied; from=<eve@elsewhere.example> to=<" + recipient + "> proto=ESMTP helo=<client.test>");
    }

    @Test
    void anOutsiderMaySendToALocalUser() throws Exception {
        String subject = subject();

        Swaks.Run run = Swaks.to(server.port("smtp")).from("127.0.0.2")
            .envelope("carol@elsewhere.example", OTHER_USER).subject(subject).run();

        assertThat(run.exitCode()).as("%s", run).isZero();
        assertThat(MaildirOnDisk.awaitMessageContaining(server.maildir(OTHER_USER), DELIVERY, subject)).as("delivered to the Maildir").isPresent();
    }

    @Test
    void anOutsiderMaySendToARelayDomain() throws Exception {
        String recipient = "someone-" + UUID.randomUUID().toString().substring(0, 8) + "@" + RELAY_DOMAIN;

        Swaks.Run run = Swaks.to(server.port("smtp")).from("127.0.0.2").envelope("carol@elsewhere.example", recipient).run();

        assertThat(run.exitCode()).as("%s", run).isZero();
        assertThat(sink.awaitMessageFor(recipient, DELIVERY)).as("passed on by the pipeline").isPresent();
    }

    @Test
    void anUnauthenticatedOutsiderMayNotUseALocalSender() throws Exception {
        Swaks.Run run = Swaks.to(server.port("smtp")).from("127.0.0.2").envelope(USER, OTHER_USER).run();

        assertThat(run.exitCode()).as("swaks: MAIL refused").isEqualTo(23);
        assertThat(run.serverSaid("553 5.7.1 <" + USER + ">: Sender address rejected: not logged in")).as("%s", run).isTrue();
    }

    // --- submission and AUTH ------------------------------------------------------------------

    @Test
    void submissionRefusesMailBeforeAuth() throws Exception {
        Swaks.Run run = Swaks.to(server.port("submission")).from("127.0.0.2").envelope(USER, OTHER_USER).run();

        assertThat(run.exitCode()).isEqualTo(23);
        assertThat(run.serverSaid("530 5.7.0 Authentication required")).as("%s", run).isTrue();
    }

    @Test
    void submissionAfterStartTlsAndAuthRelays() throws Exception {
        String recipient = remoteRecipient();

        Swaks.Run run = Swaks.to(server.port("submission")).from("127.0.0.2").startTls()
            .auth("PLAIN", USER, PASSWORD).envelope(USER, recipient).run();

        assertThat(run.exitCode()).as("%s", run).isZero();
        assertThat(run.serverSaid("235 2.7.0 Authentication successful")).isTrue();
        Optional<SmtpSink.Received> relayed = sink.awaitMessageFor(recipient, DELIVERY);
        assertThat(relayed).as("message at the next hop").isPresent();
        assertThat(relayed.get().sender()).isEqualTo(USER);
    }

    @Test
    void implicitTlsSubmissionRelaysAfterAuthLogin() throws Exception {
        String recipient = remoteRecipient();

        Swaks.Run run = Swaks.to(server.port("smtps")).from("127.0.0.2").implicitTls()
            .auth("LOGIN", USER, PASSWORD).envelope(USER, recipient).run();

        assertThat(run.exitCode()).as("%s", run).isZero();
        assertThat(sink.awaitMessageFor(recipient, DELIVERY)).isPresent();
    }

    @Test
    void implicitTlsSubmissionRefusesMailBeforeAuth() throws Exception {
        Swaks.Run run = Swaks.to(server.port("smtps")).from("127.0.0.2").implicitTls().envelope(USER, OTHER_USER).run();

        assertThat(run.exitCode()).isEqualTo(23);
        assertThat(run.serverSaid("530 5.7.0 Authentication required")).as("%s", run).isTrue();
    }

    @Test
    void authIsNotOfferedBeforeStartTls() throws Exception {
        Swaks.Run run = Swaks.to(server.port("submission")).from("127.0.0.2")
            .auth("PLAIN", USER, PASSWORD).envelope(USER, OTHER_USER).run();

        assertThat(run.exitCode()).as("%s", run).isEqualTo(28);
        assertThat(run.transcript()).contains("Host did not advertise authentication");
    }

    @Test
    void anAuthCommandBeforeStartTlsIsRefusedBeforeAnyPasswordIsSent() throws Exception {
        for (String listener : List.of("smtp", "submission")) {
            try (SmtpClient smtp = SmtpClient.connectFrom("127.0.0.2", server.port(listener))) {
                SmtpClient.expect(smtp.command("EHLO client.test"), 250);

                SmtpClient.Reply reply = smtp.command("AUTH LOGIN");

                assertThat(reply.last()).as(listener).isEqualTo("538 5.7.11 Encryption required for requested authentication mechanism");
            }
        }
    }

    @Test
    void aTrustedClientMayAuthWithoutTlsWhereTheListenerAllowsIt() throws Exception {
        try (SmtpClient smtp = SmtpClient.connect(server.port("smtp"))) {
            SmtpClient.expect(smtp.command("EHLO client.test"), 250);

            SmtpClient.Reply reply = smtp.command("AUTH PLAIN " + java.util.Base64.getEncoder()
                .encodeToString(("\0" + USER + "\0" + PASSWORD).getBytes(java.nio.charset.StandardCharsets.UTF_8)));

            assertThat(reply.last()).isEqualTo("235 2.7.0 Authentication successful");
        }
    }

    @Test
    void aWrongPasswordIsRefused() throws Exception {
        Swaks.Run run = Swaks.to(server.port("submission")).from("127.0.0.3").startTls()
            .auth("PLAIN", USER, "wrong-password").envelope(USER, OTHER_USER).run();

        assertThat(run.exitCode()).as("%s", run).isEqualTo(28);
        assertThat(run.serverSaid("535 5.7.8 Authentication credentials invalid")).as("%s", run).isTrue();
    }

    @Test
    void aSenderTheUserDoesNotOwnIsRefused() throws Exception {
        Swaks.Run run = Swaks.to(server.port("submission")).from("127.0.0.2").startTls()
            .auth("PLAIN", USER, PASSWORD).envelope(OTHER_USER, remoteRecipient()).run();

        assertThat(run.exitCode()).isEqualTo(23);
        assertThat(run.serverSaid("553 5.7.1 <" + OTHER_USER + ">: Sender address rejected: not owned by user " + USER))
            .as("%s", run).isTrue();
    }

    @Test
    void anAliasOfTheUserMayBeItsSender() throws Exception {
        String recipient = remoteRecipient();

        Swaks.Run run = Swaks.to(server.port("submission")).from("127.0.0.2").startTls()
            .auth("PLAIN", USER, PASSWORD).envelope(ALIAS, recipient).run();

        assertThat(run.exitCode()).as("%s", run).isZero();
        assertThat(sink.awaitMessageFor(recipient, DELIVERY)).isPresent();
    }

    @Test
    void aUserAllowedAnySenderMaySendAsAnotherAddress() throws Exception {
        String recipient = remoteRecipient();

        Swaks.Run run = Swaks.to(server.port("submission")).from("127.0.0.2").startTls()
            .auth("PLAIN", OTHER_USER, PASSWORD).envelope("newsletter@elsewhere.example", recipient).run();

        assertThat(run.exitCode()).as("%s", run).isZero();
        assertThat(sink.awaitMessageFor(recipient, DELIVERY)).isPresent();
    }

    @Test
    void repeatedAuthFailuresLockTheClientAddressOut() throws Exception {
        String attacker = "127.0.0.9";
        Swaks wrong = Swaks.to(server.port("submission")).from(attacker).startTls()
            .auth("PLAIN", USER, "guess").quitAfter("AUTH");

        Swaks.Run first = wrong.run();
        Swaks.Run second = wrong.run();
        Swaks.Run third = wrong.run();
        Swaks.Run rightPasswordDuringLockout = Swaks.to(server.port("smtps")).from(attacker).implicitTls()
            .auth("PLAIN", USER, PASSWORD).quitAfter("AUTH").run();
        Swaks.Run otherClient = Swaks.to(server.port("submission")).from("127.0.0.10").startTls()
            .auth("PLAIN", USER, PASSWORD).quitAfter("AUTH").run();

        assertThat(first.serverSaid("535 5.7.8")).as("%s", first).isTrue();
        assertThat(second.serverSaid("535 5.7.8")).as("%s", second).isTrue();
        assertThat(third.serverSaid("421 4.7.0 Too many failed authentication attempts")).as("%s", third).isTrue();
        assertThat(rightPasswordDuringLockout.serverSaid("454 4.7.0 Too many failed authentication attempts"))
            .as("%s", rightPasswordDuringLockout).isTrue();
        assertThat(otherClient.serverSaid("235 2.7.0")).as("another address is not affected: %s", otherClient).isTrue();
        assertThat(server.serverLog())
            .contains("warning: unknown[127.0.0.9]: SASL authentication failed: authentication failure, sasl_username=" + USER)
            .contains("warning: unknown[127.0.0.9]: 3 failed authentication attempts; all logins locked out for PT2M, proto=SMTP");
    }
}
