package org.maildeck.assembly.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * DMARC at the end of DATA (DmarcHook, with SpfHook before it, both turned on here; SPF failures
 * only marked so that DMARC decides): policies and alignment published by the tests' own DNS
 * server, mail over real SMTP from 127.0.0.2 (outside the trusted networks). The envelope
 * sender is always at {@code spf-pass.test}, whose SPF record allows the client: SPF passes but
 * aligns only where a test says so. Each domain is a registered name of its own under
 * {@code .test} (no public suffix: the Organizational Domain is the last two labels). Port 53
 * needs root, which the CI machine has; the DNS address is this class's own (127.0.23.53).
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class DmarcIT {

    private static final String DNS_ADDRESS = "127.0.23.53";
    private static final String CLIENT = SpfIT.CLIENT;
    private static final String DOMAIN = "dmarc-local.maildeck.test";
    private static final String USER = "alice@" + DOMAIN;
    private static final String PASSWORD = "Dmarc-Pa55word";
    private static final String ENVELOPE_DOMAIN = "spf-pass.test";
    private static final Duration WAIT = Duration.ofSeconds(60);

    private static TestDnsServer dns;
    private static MaildeckInstance server;
    private static Path signerKey;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "port 53 needs root");
        dns = new TestDnsServer(new InetSocketAddress(DNS_ADDRESS, 53))
            .txt(ENVELOPE_DOMAIN, "v=spf1 ip4:" + CLIENT + " -all")
            .txt("mail.relaxed.test", "v=spf1 ip4:" + CLIENT + " -all")
            .txt("mail.strict.test", "v=spf1 ip4:" + CLIENT + " -all")
            .txt("_dmarc.reject.test", "v=DMARC1; p=reject; rua=mailto:dmarc@reject.test")
            .txt("_dmarc.quarantine.test", "v=DMARC1; p=quarantine")
            .txt("_dmarc.none.test", "v=DMARC1; p=none")
            .txt("_dmarc.relaxed.test", "v=DMARC1; p=reject")
            .txt("_dmarc.strict.test", "v=DMARC1; p=reject; aspf=s")
            // the organization's record, none at news.fallback.test: its sp applies there
            .txt("_dmarc.fallback.test", "v=DMARC1; p=none; sp=reject")
            .silent("_dmarc.timeout.test")
            .txt("_dmarc.malformed.test", "v=DMARC1; p=bogus")
            .txts("_dmarc.twice.test", "v=DMARC1; p=reject", "v=DMARC1; p=none")
            .txt("_dmarc.oversized.test", "v=DMARC1; p=reject; x=" + "a".repeat(1100))
            .txt("_dmarc.signed.test", "v=DMARC1; p=reject; adkim=s");
        server = MaildeckInstance.create((fileName, content) -> switch (fileName) {
            case "dnsservice.xml" -> TestDnsServer.asTheServersResolver(content, DNS_ADDRESS);
            case "smtpserver.xml" -> content.replace("<!--SPF", "").replace("SPF-->", "")
                .replace("<onFail>reject</onFail>", "<onFail>accept</onFail>")
                .replace("<!--DMARC", "").replace("DMARC-->", "");
            default -> content;
        }).start();
        new WebAdmin(server).addDomain(DOMAIN).addUser(USER, PASSWORD);
        signerKey = DkimIT.publishSignerKey(dns, "signed.test", "sel", 2048);
    }

    @AfterAll
    static void stop() throws Exception {
        ClassScopedResources.closeAll(server, dns);
    }

    private static String message(String from, String subject) {
        return "From: Someone <" + from + ">\r\nTo: <" + USER + ">\r\nSubject: " + subject + "\r\n"
            + "Date: Mon, 7 Dec 2026 05:00:00 +0000\r\nMessage-ID: <" + subject.replace(' ', '-') + "@dmarc.test>\r\n"
            + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\nHello.\r\n";
    }

    /** The reply to the end of DATA for {@code message} sent from {@link #CLIENT} with envelope sender {@code sender}. */
    private static SmtpClient.Reply send(String sender, byte[] message) throws Exception {
        try (SmtpClient smtp = SmtpClient.connectFrom(CLIENT, server.port("smtp"))) {
            SmtpClient.expect(smtp.command("EHLO client.dmarc.test"), 250);
            return smtp.send(sender, List.of(USER), message);
        }
    }

    private static String bounces() {
        return "bounces-" + SpfIT.marker() + "@" + ENVELOPE_DOMAIN;
    }

    /** Sent with an unaligned envelope sender, From: at {@code fromDomain}, accepted; the delivered copy's A-R fields, from {@code folder}. */
    private static List<String> delivered(String fromDomain, String folder) throws Exception {
        return delivered(bounces(), fromDomain, folder);
    }

    private static List<String> delivered(String sender, String fromDomain, String folder) throws Exception {
        String subject = "dmarc " + SpfIT.marker();
        SmtpClient.expect(send(sender, message("ceo@" + fromDomain, subject).getBytes(ISO_8859_1)), 250);
        return DkimIT.authenticationResults(awaitDelivered(folder, subject));
    }

    private static String awaitDelivered(String folder, String subject) throws Exception {
        Optional<String> delivered = MaildirOnDisk.awaitMessageContaining(MaildirOnDisk.folder(server.maildir(USER), folder), WAIT,
            "Subject: " + subject);
        assertThat(delivered).as("delivered into %s: %s", folder, subject).isPresent();
        return delivered.get();
    }

    private static void assertRefusedWith5726(String sender, String fromDomain) throws Exception {
        SmtpClient.Reply reply = send(sender, message("ceo@" + fromDomain, "refused " + SpfIT.marker()).getBytes(ISO_8859_1));

        assertThat(reply.code()).as("%s", reply).isEqualTo(550);
        assertThat(reply.toString()).contains("5.7.26 Unauthenticated email from " + fromDomain + " is not accepted due to domain's DMARC policy");
    }

    @Test
    void aFailureUnderPRejectIsRefusedAtTheEndOfDataWith5726() throws Exception {
        String sender = bounces();

        assertRefusedWith5726(sender, "reject.test");

        server.awaitMailLog(Pattern.compile("NOQUEUE: reject: END-OF-MESSAGE from .*550 5\\.7\\.26 .*from=<" + Pattern.quote(sender) + ">"), WAIT);
    }

    @Test
    void aFailureUnderPQuarantineIsDeliveredToJunk() throws Exception {
        assertThat(delivered("quarantine.test", "Junk")).singleElement().asString()
            .contains("dmarc=fail (p=quarantine dis=quarantine) header.from=quarantine.test");
    }

    @Test
    void aFailureUnderPNoneIsDeliveredToTheInboxAndMarked() throws Exception {
        assertThat(delivered("none.test", "INBOX")).singleElement().asString()
            .contains("spf=pass smtp.mailfrom=").contains("dmarc=fail (p=none dis=none) header.from=none.test");
    }

    @Test
    void anSpfPassOfASubdomainAlignsInRelaxedMode() throws Exception {
        assertThat(delivered("bounces@mail.relaxed.test", "relaxed.test", "INBOX")).singleElement().asString()
            .contains("dmarc=pass (p=reject) header.from=relaxed.test");
    }

    @Test
    void anSpfPassOfASubdomainDoesNotAlignInStrictMode() throws Exception {
        assertRefusedWith5726("bounces@mail.strict.test", "strict.test");
    }

    @Test
    void aSubdomainWithoutRecordGetsTheOrganizationalDomainsSubdomainPolicy() throws Exception {
        assertRefusedWith5726(bounces(), "news.fallback.test");
    }

    @Test
    void aDnsTimeoutIsTemperrorAndTheMailAccepted() throws Exception {
        assertThat(delivered("timeout.test", "INBOX")).singleElement().asString()
            .contains("dmarc=temperror").contains("header.from=timeout.test");
    }

    @Test
    void aRecordWithoutValidPolicyIsPermerrorAndTheMailAccepted() throws Exception {
        assertThat(delivered("malformed.test", "INBOX")).singleElement().asString()
            .contains("dmarc=permerror").contains("header.from=malformed.test");
    }

    @Test
    void twoRecordsMeanNoPolicyAndTheMailAccepted() throws Exception {
        assertThat(delivered("twice.test", "INBOX")).singleElement().asString()
            .contains("dmarc=none").contains("header.from=twice.test");
    }

    @Test
    void anOversizedRecordIsPermerrorAndTheMailAccepted() throws Exception {
        assertThat(delivered("oversized.test", "INBOX")).singleElement().asString()
            .contains("dmarc=permerror").contains("header.from=oversized.test");
    }

    @Test
    void aDkimsignSignatureAlignedWithFromPassesStrictDkimAlignment() throws Exception {
        String subject = "signed " + SpfIT.marker();
        byte[] signed = DkimIT.dkimsign(message("ceo@signed.test", subject), "signed.test", "sel", signerKey);

        SmtpClient.expect(send(bounces(), signed), 250);

        assertThat(DkimIT.authenticationResults(awaitDelivered("INBOX", subject))).singleElement().asString()
            .contains("dkim=pass header.d=signed.test").contains("dmarc=pass (p=reject) header.from=signed.test");
    }

    @Test
    void aFromFieldWithAFailingDomainAmongSeveralGetsItsPolicy() throws Exception {
        String message = message("ceo@none.test", "several " + SpfIT.marker()).replace("From: Someone <ceo@none.test>",
            "From: Someone <ceo@none.test>, Other <boss@reject.test>");

        SmtpClient.Reply reply = send(bounces(), message.getBytes(ISO_8859_1));

        assertThat(reply.code()).as("%s", reply).isEqualTo(550);
        assertThat(reply.toString()).contains("5.7.26 Unauthenticated email from reject.test");
    }

    @Test
    void aLoggedInSenderIsNotChecked() throws Exception {
        String subject = "authenticated " + SpfIT.marker();

        Swaks.Run run = Swaks.to(server.port("smtp")).from(CLIENT).startTls().auth("PLAIN", USER, PASSWORD)
            .envelope(USER, USER).header("From: <ceo@reject.test>").subject(subject).run();

        assertThat(run.exitCode()).as("%s", run).isZero();
        assertThat(awaitDelivered("INBOX", subject)).doesNotContain("dmarc=");
    }

    @Test
    void statusShowsTheDmarcCountersOfTheMailAuthMBean() throws Exception {
        assertRefusedWith5726(bounces(), "reject.test");

        MaildeckInstance.Result status = server.maildeck("status");

        assertThat(status.stdout()).contains("mail authentication (since start):")
            .containsPattern("\\n  dmarc=fail +[1-9]").containsPattern("\\n  dmarc-refused +[1-9]");
    }
}
