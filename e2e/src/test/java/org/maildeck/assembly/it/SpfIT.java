package org.maildeck.assembly.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * SPF at the SMTP edge (SpfHook in smtpserver.xml, turned on here with onPermError=reject): each
 * result of a real check against SPF records served by the tests' own DNS server, over real SMTP
 * from 127.0.0.2 (outside the trusted networks), ends as configured, and the result shares the
 * one Authentication-Results header with DKIM's. Port 53 needs root, which the CI machine has.
 * The DNS address differs from the other ITs' (127.0.0.53, 127.0.1.53, 127.0.2.53).
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class SpfIT {

    private static final String DNS_ADDRESS = "127.0.3.53";
    static final String CLIENT = "127.0.0.2";
    static final String DOMAIN = "spf-local.maildeck.test";
    static final String USER = "alice@" + DOMAIN;
    private static final String PASSWORD = "Spf-Pa55word";
    private static final Duration WAIT = Duration.ofSeconds(60);

    private static TestDnsServer dns;
    private static MaildeckInstance server;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "port 53 needs root");
        dns = zone(DNS_ADDRESS);
        server = serverWith(DNS_ADDRESS, spfOn -> spfOn.replace("<onPermError>accept</onPermError>", "<onPermError>reject</onPermError>"));
    }

    /** The test zone at {@code address}: a domain per SPF result, named after it. */
    static TestDnsServer zone(String address) throws Exception {
        StringBuilder elevenIncludes = new StringBuilder("v=spf1");
        for (int i = 0; i < 11; i++) {
            elevenIncludes.append(" include:i").append(i).append(".spf.test");
        }
        TestDnsServer zone = new TestDnsServer(new InetSocketAddress(address, 53))
            .txt("pass.spf.test", "v=spf1 ip4:" + CLIENT + " -all")
            .txt("fail.spf.test", "v=spf1 ip4:192.0.2.1 -all")
            .txt("softfail.spf.test", "v=spf1 ip4:192.0.2.1 ~all")
            .txt("neutral.spf.test", "v=spf1 ?all")
            .txt("helo.spf.test", "v=spf1 ip4:" + CLIENT + " -all")
            .failing("temperror.spf.test")
            .txt("syntax.spf.test", "v=spf1 ip4:not-an-address -all")
            .txt("toomany.spf.test", elevenIncludes.append(" -all").toString())
            // the local domain allows no one: a logged-in sender would fail if it were checked
            .txt(DOMAIN, "v=spf1 -all");
        for (int i = 0; i < 11; i++) {
            zone.txt("i" + i + ".spf.test", "v=spf1 ip4:192.0.2." + (i + 10) + " -all");
        }
        return zone;
    }

    /** A server asking the DNS at {@code dnsAddress}, SpfHook on with {@code policy}'s changes to its parameters, the local user made. */
    static MaildeckInstance serverWith(String dnsAddress, UnaryOperator<String> policy) throws Exception {
        MaildeckInstance started = MaildeckInstance.create((fileName, content) -> switch (fileName) {
            case "dnsservice.xml" -> TestDnsServer.asTheServersResolver(content, dnsAddress);
            case "smtpserver.xml" -> policy.apply(content.replace("<!--SPF", "").replace("SPF-->", ""));
            default -> content;
        }).start();
        new WebAdmin(started).addDomain(DOMAIN).addUser(USER, PASSWORD);
        return started;
    }

    @AfterAll
    static void stop() throws Exception {
        ClassScopedResources.closeAll(server, dns);
    }

    static String marker() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    private static byte[] message(String subject) {
        return ("From: <someone@elsewhere.test>\r\nTo: <" + USER + ">\r\nSubject: " + subject + "\r\n"
            + "Message-ID: <" + subject.replace(' ', '-') + "@spf.test>\r\n\r\nHello.\r\n").getBytes(ISO_8859_1);
    }

    /** The reply to MAIL FROM from {@link #CLIENT} after {@code EHLO helo}. */
    static SmtpClient.Reply mailFrom(MaildeckInstance server, String sender, String helo) throws Exception {
        try (SmtpClient smtp = SmtpClient.connectFrom(CLIENT, server.port("smtp"))) {
            SmtpClient.expect(smtp.command("EHLO " + helo), 250);
            return smtp.command("MAIL FROM:<" + sender + ">");
        }
    }

    /** Sent from {@link #CLIENT} with envelope {@code sender} to the local user, accepted; the delivered copy's A-R fields. */
    static List<String> deliveredAuthenticationResults(MaildeckInstance server, String sender, String helo) throws Exception {
        String subject = "spf " + marker();
        try (SmtpClient smtp = SmtpClient.connectFrom(CLIENT, server.port("smtp"))) {
            SmtpClient.expect(smtp.command("EHLO " + helo), 250);
            SmtpClient.expect(smtp.send(sender, List.of(USER), message(subject)), 250);
        }
        Optional<String> delivered = MaildirOnDisk.awaitMessageContaining(server.maildir(USER), WAIT, "Subject: " + subject);
        assertThat(delivered).as("delivered: %s", subject).isPresent();
        String headers = delivered.get().substring(0, delivered.get().indexOf("\r\n\r\n") + 2).replaceAll("\r\n[ \t]+", " ");
        return headers.lines().filter(line -> line.regionMatches(true, 0, "Authentication-Results:", 0, 23)).toList();
    }

    private static void assertAcceptedAndMarked(String domain, String result) throws Exception {
        String sender = "bob-" + marker() + "@" + domain;

        assertThat(deliveredAuthenticationResults(server, sender, "client.spf.test"))
            .singleElement().asString().contains("spf=" + result + " smtp.mailfrom=" + sender);
    }

    private static void assertRefusedAtMail(String domain, int code, String enhancedCode) throws Exception {
        SmtpClient.Reply reply = mailFrom(server, "bob-" + marker() + "@" + domain, "client.spf.test");

        assertThat(reply.code()).as("%s", reply).isEqualTo(code);
        assertThat(reply.toString()).contains(enhancedCode + " SPF validation");
    }

    @Test
    void passIsAcceptedAndJoinsDkimInOneAuthenticationResultsHeader() throws Exception {
        String sender = "bob-" + marker() + "@pass.spf.test";

        List<String> results = deliveredAuthenticationResults(server, sender, "client.spf.test");

        assertThat(results).hasSize(1);
        assertThat(results.get(0)).contains("dkim=none").contains("spf=pass smtp.mailfrom=" + sender);
        server.awaitMailLog(Pattern.compile("spf=pass smtp\\.mailfrom=" + Pattern.quote(sender) + " client=\\S*\\[" + Pattern.quote(CLIENT) + "\\]"), WAIT);
    }

    @Test
    void failIsRefusedAtMailWith5723() throws Exception {
        String sender = "eve-" + marker() + "@fail.spf.test";

        SmtpClient.Reply reply = mailFrom(server, sender, "client.spf.test");

        assertThat(reply.code()).as("%s", reply).isEqualTo(550);
        assertThat(reply.toString()).contains("5.7.23 SPF validation failed");
        server.awaitMailLog(Pattern.compile("NOQUEUE: reject: MAIL from .*550 5\\.7\\.23 .*" + Pattern.quote(sender)), WAIT);
    }

    @Test
    void softfailIsAcceptedAndMarked() throws Exception {
        assertAcceptedAndMarked("softfail.spf.test", "softfail");
    }

    @Test
    void neutralIsAcceptedAndMarked() throws Exception {
        assertAcceptedAndMarked("neutral.spf.test", "neutral");
    }

    @Test
    void aDomainWithoutRecordIsNoneAndAccepted() throws Exception {
        assertAcceptedAndMarked("norecord.spf.test", "none");
    }

    @Test
    void theNullSenderIsCheckedByTheHeloName() throws Exception {
        assertThat(deliveredAuthenticationResults(server, "", "helo.spf.test"))
            .singleElement().asString().contains("spf=pass smtp.helo=helo.spf.test");
    }

    @Test
    void aDnsFailureIsTemperrorAndDeferredWith4724() throws Exception {
        assertRefusedAtMail("temperror.spf.test", 451, "4.7.24");
    }

    @Test
    void aRecordWithASyntaxErrorIsPermerrorAndRefusedAsConfigured() throws Exception {
        assertRefusedAtMail("syntax.spf.test", 550, "5.7.24");
    }

    @Test
    void elevenIncludesArePermerrorAndRefusedAsConfigured() throws Exception {
        assertRefusedAtMail("toomany.spf.test", 550, "5.7.24");
    }

    @Test
    void aLoggedInSenderIsNotChecked() throws Exception {
        String subject = "authenticated " + marker();

        Swaks.Run run = Swaks.to(server.port("smtp")).from(CLIENT).startTls().auth("PLAIN", USER, PASSWORD)
            .envelope(USER, USER).subject(subject).run();

        assertThat(run.exitCode()).as("%s", run).isZero();
        Optional<String> delivered = MaildirOnDisk.awaitMessageContaining(server.maildir(USER), WAIT, subject);
        assertThat(delivered).as("delivered").isPresent();
        assertThat(delivered.get()).doesNotContain("spf=");
    }
}
