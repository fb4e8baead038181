package org.maildeck.assembly.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * DNS blocklists at RCPT (DnsblHook in smtpserver.xml, turned on here with test zones) against
 * the tests' own DNS server: each client is a loopback address outside the trusted networks
 * (127.0.0.2 and up, 127.0.0.1 alone is trusted), listed or not as each test needs. Port 53
 * needs root, which the CI machine has. The DNS address differs from the other ITs'.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class DnsblIT {

    private static final String DNS_ADDRESS = "127.0.9.53";
    private static final String DOMAIN = "dnsbl-local.maildeck.test";
    private static final String USER = "alice@" + DOMAIN;
    private static final String PASSWORD = "Dnsbl-Pa55word";
    private static final Duration WAIT = Duration.ofSeconds(60);

    private static final String LISTED = "127.0.0.2";
    private static final String UNLISTED = "127.0.0.3";
    private static final String BELOW_THRESHOLD = "127.0.0.4";
    private static final String AT_THRESHOLD = "127.0.0.5";
    private static final String FILTERED_CODE = "127.0.0.6";
    private static final String SLOW = "127.0.0.7";
    private static final String SERVFAIL = "127.0.0.8";
    private static final String GARBAGE = "127.0.0.9";
    private static final String NOT_LOOPBACK_ANSWER = "127.0.0.10";
    private static final String ALLOWED = "127.0.0.12";

    private static TestDnsServer dns;
    private static MaildeckInstance server;

    private static String reversed(String ip) {
        String[] octets = ip.split("\\.");
        return octets[3] + "." + octets[2] + "." + octets[1] + "." + octets[0];
    }

    @BeforeAll
    static void start() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "port 53 needs root");
        dns = new TestDnsServer(new InetSocketAddress(DNS_ADDRESS, 53))
            .address(reversed(LISTED) + ".reject.dnsbl.test", "127.0.0.2")
            .address(reversed(ALLOWED) + ".reject.dnsbl.test", "127.0.0.2")
            .address(reversed(BELOW_THRESHOLD) + ".one.dnsbl.test", "127.0.0.2")
            .address(reversed(AT_THRESHOLD) + ".one.dnsbl.test", "127.0.0.2")
            .address(reversed(AT_THRESHOLD) + ".two.dnsbl.test", "127.0.0.3")
            .address(reversed(FILTERED_CODE) + ".codes.dnsbl.test", "127.0.0.11")
            .silent(reversed(SLOW) + ".reject.dnsbl.test")
            .failing(reversed(SERVFAIL) + ".reject.dnsbl.test")
            .garbage(reversed(GARBAGE) + ".reject.dnsbl.test")
            .address(reversed(NOT_LOOPBACK_ANSWER) + ".reject.dnsbl.test", "10.1.2.3");
        String zones = """
            <handler class="org.maildeck.mailauth.DnsblHook">
                <zone>reject.dnsbl.test</zone>
                <zone score="1">one.dnsbl.test</zone>
                <zone score="1">two.dnsbl.test</zone>
                <zone codes="127.0.0.10">codes.dnsbl.test</zone>
                <threshold>2</threshold>
                <allow>%s</allow>
                <timeoutMillis>5000</timeoutMillis>
            </handler>""".formatted(ALLOWED);
        server = MaildeckInstance.create((fileName, content) -> switch (fileName) {
            case "dnsservice.xml" -> TestDnsServer.asTheServersResolver(content, DNS_ADDRESS);
            case "smtpserver.xml" -> content.replaceFirst("(?s)<!--DNSBL.*?DNSBL-->", zones);
            default -> content;
        }).start();
        new WebAdmin(server).addDomain(DOMAIN).addUser(USER, PASSWORD);
    }

    @AfterAll
    static void stop() throws Exception {
        ClassScopedResources.closeAll(server, dns);
    }

    /** The reply to RCPT TO the local user from {@code client}, not logged in. */
    private static SmtpClient.Reply rcptFrom(String client) throws Exception {
        try (SmtpClient smtp = SmtpClient.connectFrom(client, server.port("smtp"))) {
            SmtpClient.expect(smtp.command("EHLO client.dnsbl.test"), 250);
            SmtpClient.expect(smtp.command("MAIL FROM:<bob@elsewhere.test>"), 250);
            return smtp.command("RCPT TO:<" + USER + ">");
        }
    }

    private static void assertAccepted(String client) throws Exception {
        SmtpClient.Reply reply = rcptFrom(client);

        assertThat(reply.code()).as("%s", reply).isEqualTo(250);
    }

    private static void assertRefusedBy(String client, String zone) throws Exception {
        SmtpClient.Reply reply = rcptFrom(client);

        assertThat(reply.code()).as("%s", reply).isEqualTo(554);
        assertThat(reply.toString()).contains("5.7.1 Service unavailable; client [" + client + "] blocked using " + zone);
        server.awaitMailLog(Pattern.compile("NOQUEUE: reject: RCPT from \\S*\\[" + Pattern.quote(client) + "\\]: 554 5\\.7\\.1 Service unavailable; client \\["
            + Pattern.quote(client) + "\\] blocked using " + Pattern.quote(zone) + "; from=<bob@elsewhere\\.test> to=<" + Pattern.quote(USER) + ">"), WAIT);
    }

    @Test
    void aListedClientIsRefusedWithTheZoneInTheText() throws Exception {
        assertRefusedBy(LISTED, "reject.dnsbl.test");
    }

    @Test
    void anUnlistedClientPasses() throws Exception {
        assertAccepted(UNLISTED);
        server.awaitMailLog(Pattern.compile("dnsbl=pass client=\\S*\\[" + Pattern.quote(UNLISTED) + "\\] score=0/2"), WAIT);
    }

    @Test
    void aScoreBelowTheThresholdPasses() throws Exception {
        assertAccepted(BELOW_THRESHOLD);
        server.awaitMailLog(Pattern.compile("dnsbl=below-threshold client=\\S*\\[" + Pattern.quote(BELOW_THRESHOLD) + "\\] score=1/2 listed=one\\.dnsbl\\.test\\[127\\.0\\.0\\.2\\]"), WAIT);
    }

    @Test
    void scoresOfTwoZonesReachingTheThresholdRefuse() throws Exception {
        SmtpClient.Reply reply = rcptFrom(AT_THRESHOLD);

        assertThat(reply.code()).as("%s", reply).isEqualTo(554);
        assertThat(reply.toString()).containsPattern("blocked using (one|two)\\.dnsbl\\.test");
    }

    @Test
    void anAnswerOutsideTheZonesCodeFilterPasses() throws Exception {
        assertAccepted(FILTERED_CODE);
    }

    @Test
    void aDnsTimeoutDoesNotRefuseAndIsLogged() throws Exception {
        assertAccepted(SLOW);
        server.awaitMailLog(Pattern.compile("dnsbl=temperror client=\\S*\\[" + Pattern.quote(SLOW) + "\\] .*failed=reject\\.dnsbl\\.test\\(timeout"), WAIT);
    }

    @Test
    void aServfailDoesNotRefuse() throws Exception {
        assertAccepted(SERVFAIL);
        server.awaitMailLog(Pattern.compile("dnsbl=temperror client=\\S*\\[" + Pattern.quote(SERVFAIL) + "\\] .*failed=reject\\.dnsbl\\.test"), WAIT);
    }

    @Test
    void anAnswerThatIsNoDnsMessageDoesNotRefuse() throws Exception {
        assertAccepted(GARBAGE);
    }

    @Test
    void anAnswerOutsideLoopbackIsNotAListing() throws Exception {
        assertAccepted(NOT_LOOPBACK_ANSWER);
    }

    @Test
    void aClientOnTheAllowListPassesThoughListed() throws Exception {
        assertAccepted(ALLOWED);
        server.awaitMailLog(Pattern.compile("dnsbl=allowed client=\\S*\\[" + Pattern.quote(ALLOWED) + "\\]"), WAIT);
    }

    @Test
    void aLoggedInClientPassesThoughListed() throws Exception {
        String subject = "dnsbl authenticated " + SpfIT.marker();

        Swaks.Run run = Swaks.to(server.port("smtp")).from(LISTED).startTls().auth("PLAIN", USER, PASSWORD)
            .envelope(USER, USER).subject(subject).run();

        assertThat(run.exitCode()).as("%s", run).isZero();
        assertThat(MaildirOnDisk.awaitMessageContaining(server.maildir(USER), WAIT, subject)).isPresent();
    }
}
