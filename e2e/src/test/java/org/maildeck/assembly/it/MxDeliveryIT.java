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
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Outbound delivery by MX lookup, as on the Internet: the server's resolver is pointed at a test
 * DNS server (dnsservice.xml), whose MX and A records lead to a receiving SMTP server on port 25
 * of another loopback address. Ports 53 and 25 need root, which the CI machine has.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class MxDeliveryIT {

    private static final String DNS_ADDRESS = "127.0.1.53";
    private static final String MX_ADDRESS = "127.0.1.25";
    /** Nothing listens here: its MX refuses connections. */
    private static final String REFUSING_ADDRESS = "127.0.1.26";
    private static final String DOMAIN = "mx-sender.maildeck.test";
    private static final String USER = "alice@" + DOMAIN;
    private static final String PASSWORD = "Mx-Pa55word";
    /* A retry waits for the queue's next look at due mail: a minute or more. */
    private static final Duration WAIT = Duration.ofSeconds(150);

    private static TestDnsServer dns;
    private static SmtpSink mx;
    private static MaildeckInstance server;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "ports 53 and 25 need root");
        dns = new TestDnsServer(new InetSocketAddress(DNS_ADDRESS, 53))
            .mx("with-mx.example", "mail.with-mx.example")
            .address("mail.with-mx.example", MX_ADDRESS)
            .address("only-a.example", MX_ADDRESS)
            .mx("refusing.example", "mail.refusing.example")
            .address("mail.refusing.example", REFUSING_ADDRESS);
        mx = new SmtpSink(new InetSocketAddress(MX_ADDRESS, 25));
        server = MaildeckInstance.create((fileName, content) -> switch (fileName) {
            case "dnsservice.xml" -> TestDnsServer.asTheServersResolver(content, DNS_ADDRESS);
            case "mailetcontainer.xml" -> content
                .replaceAll("<delayTime>[^<]*</delayTime>", "<delayTime>3 * 2 seconds</delayTime>")
                .replaceAll("<maxRetries>[^<]*</maxRetries>", "<maxRetries>3</maxRetries>")
                .replaceFirst("<maxDnsProblemRetries>[^<]*</maxDnsProblemRetries>", "<maxDnsProblemRetries>1</maxDnsProblemRetries>");
            default -> content;
        }).start();
        new WebAdmin(server).addDomain(DOMAIN).addUser(USER, PASSWORD);
    }

    @AfterAll
    static void stop() throws Exception {
        ClassScopedResources.closeAll(server, mx, dns);
    }

    private static String recipient(String domain) {
        return "r-" + UUID.randomUUID().toString().substring(0, 8) + "@" + domain;
    }

    private static void sendFromTrustedClient(String recipient) throws Exception {
        try (SmtpClient smtp = SmtpClient.connect(server.port("smtp"))) {
            SmtpClient.expect(smtp.command("EHLO client.test"), 250);
            SmtpClient.expect(smtp.send("app@" + DOMAIN, List.of(recipient),
                "Subject: by MX\r\n\r\nHello.\r\n".getBytes(ISO_8859_1)), 250);
        }
    }

    @Test
    void mailGoesToTheHostOfTheMxRecord() throws Exception {
        String recipient = recipient("with-mx.example");

        sendFromTrustedClient(recipient);

        assertThat(mx.awaitMessageFor(recipient, WAIT)).as("received at the MX host").isPresent();
        server.awaitMailLog(Pattern.compile(Pattern.quote(": to=<" + recipient + ">, relay=mail.with-mx.example[" + MX_ADDRESS
            + "]:25, delay=") + "\\d+\\.\\d\\d, status=sent \\(250 "), WAIT);
    }

    @Test
    void aDomainWithoutMxRecordIsReachedAtItsAddressRecord() throws Exception {
        String recipient = recipient("only-a.example");

        sendFromTrustedClient(recipient);

        assertThat(mx.awaitMessageFor(recipient, WAIT)).as("received at the domain's own address").isPresent();
    }

    @Test
    void aDomainThatDoesNotExistBouncesToTheSender() throws Exception {
        String recipient = recipient("no-such-domain.example");

        Swaks.Run run = Swaks.to(server.port("submission")).from("127.0.0.2").startTls().auth("PLAIN", USER, PASSWORD)
            .envelope(USER, recipient).run();

        assertThat(run.exitCode()).as("%s", run).isZero();
        Optional<String> bounce = MaildirOnDisk.awaitMessageContaining(server.maildir(USER), WAIT,
            "Final-Recipient: rfc822; " + recipient, "Action: failed");
        assertThat(bounce).as("a DSN in the sender's INBOX").isPresent();
    }

    @Test
    void anMxThatRefusesTheConnectionIsALineOfItsOwnAndTheAttemptIsDeferred() throws Exception {
        String recipient = recipient("refusing.example");

        sendFromTrustedClient(recipient);

        String refused = Pattern.quote("connect to mail.refusing.example[" + REFUSING_ADDRESS + "]:25: Connection refused");
        server.awaitMailLog(Pattern.compile("-to-refusing\\.example: " + refused + "$"), WAIT);
        server.awaitMailLog(Pattern.compile(Pattern.quote(": to=<" + recipient + ">, relay=none, delay=")
            + "\\d+\\.\\d\\d, status=deferred \\(" + refused + "\\)$"), WAIT);
    }

    @Test
    void aDomainThatDoesNotExistIsDeferredThenBouncedInTheMailLog() throws Exception {
        String recipient = recipient("no-such-domain.example");

        sendFromTrustedClient(recipient);

        // <maxDnsProblemRetries>1</maxDnsProblemRetries>: one retry, then the bounce
        String attempt = ": to=<" + recipient + ">, relay=none, delay=";
        server.awaitMailLog(Pattern.compile(Pattern.quote(attempt) + "\\d+\\.\\d\\d, status=deferred \\(no mail server found for no-such-domain\\.example\\)$"), WAIT);
        server.awaitMailLog(Pattern.compile(Pattern.quote(attempt) + "\\d+\\.\\d\\d, status=bounced \\(no mail server found for no-such-domain\\.example\\)$"), WAIT);
    }
}
