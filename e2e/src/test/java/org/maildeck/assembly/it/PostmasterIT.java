package org.maildeck.assembly.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * RFC 5321 4.5.1: {@code postmaster@} every local domain, and the bare {@code postmaster}, is
 * accepted without a user or alias of that name, from any client, and reaches the admin. The
 * tests run in order, each giving the server more addresses: none; a postmaster alias of one
 * domain (which serves the others); an alias of {@code postmaster@localhost}
 * (mailetcontainer.xml's {@code <postmaster>}), which takes precedence.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PostmasterIT {

    private static final String DOMAIN = "postmaster-a.test";
    private static final String OTHER_DOMAIN = "postmaster-b.test";
    private static final String OWN_ALIAS_DOMAIN = "postmaster-c.test";
    private static final String ADMIN = "alice@" + DOMAIN;
    private static final String DOMAIN_ADMIN = "carol@" + OWN_ALIAS_DOMAIN;
    private static final String PASSWORD = "Postmaster-Pa55";
    private static final Duration DELIVERY = Duration.ofSeconds(60);

    /** Of its own: the tests read the start-up log and route postmaster mail for every domain. */
    @RegisterExtension
    static final TestServer maildeck = TestServer.own();
    private static MaildeckInstance server;
    private static WebAdmin webAdmin;

    @BeforeAll
    static void setUp() {
        server = maildeck.instance();
        webAdmin = maildeck.domain(DOMAIN).domain(OTHER_DOMAIN).domain(OWN_ALIAS_DOMAIN).webAdmin()
            .addUser(ADMIN, PASSWORD);
    }

    @Test
    @Order(1)
    void theServerWarnsAtStartUpThatPostmasterMailHasNowhereToGo() {
        assertThat(server.serverLogOfLastStart())
            .contains("warning: mail for the postmaster has nowhere to go: no user or alias postmaster@localhost");
    }

    @Test
    @Order(2)
    void withNowhereToGoPostmasterMailIsAcceptedAndKeptAsUndeliverable() throws Exception {
        String subject = "to nobody's postmaster " + UUID.randomUUID();

        SmtpClient.Reply end = sendFromOutsider(List.of("postmaster@" + DOMAIN), subject);

        assertThat(end.code()).as("end of DATA: %s", end).isEqualTo(250);
        String line = server.awaitMailLog(Pattern.compile(Pattern.quote("to=<postmaster@" + DOMAIN + ">, relay=none, status=undeliverable (")),
            DELIVERY);
        String queueId = line.substring(0, line.indexOf(':'));
        awaitInErrorRepository(queueId);
    }

    /** No address set for the server's postmaster: the first domain with a postmaster alias lends it to the others. */
    @Test
    @Order(3)
    void theFirstDomainsPostmasterAliasServesTheDomainsWithout() throws Exception {
        webAdmin.addUser(DOMAIN_ADMIN, PASSWORD).addAlias("postmaster@" + OWN_ALIAS_DOMAIN, DOMAIN_ADMIN);
        String subject = "to the first admin alias " + UUID.randomUUID();

        sendFromOutsider(List.of("postmaster@" + DOMAIN), subject);

        assertThat(MaildirOnDisk.awaitMessageContaining(server.maildir(DOMAIN_ADMIN), DELIVERY, subject)).as("in carol's INBOX").isPresent();
    }

    @Test
    @Order(4)
    void postmasterOfEveryLocalDomainInAnyCaseIsAcceptedFromAnyClientAndReachesTheAdmin() throws Exception {
        webAdmin.addAlias("postmaster@localhost", ADMIN);
        String subject = "to every postmaster " + UUID.randomUUID();

        SmtpClient.Reply end = sendFromOutsider(List.of("postmaster@" + DOMAIN, "PostMaster@" + OTHER_DOMAIN.toUpperCase(), "Postmaster"),
            subject);

        assertThat(end.code()).as("end of DATA: %s", end).isEqualTo(250);
        assertThat(MaildirOnDisk.awaitMessageContaining(server.maildir(ADMIN), DELIVERY, subject)).as("in the admin's INBOX").isPresent();
    }

    @Test
    @Order(5)
    void aDomainsOwnPostmasterAliasIsHonoured() throws Exception {
        // the aliases of postmaster@localhost (to alice) and of postmaster@postmaster-c.test (to carol) are there
        String subject = "to a domain's own postmaster " + UUID.randomUUID();

        sendFromOutsider(List.of("postmaster@" + OWN_ALIAS_DOMAIN), subject);

        assertThat(MaildirOnDisk.awaitMessageContaining(server.maildir(DOMAIN_ADMIN), DELIVERY, subject)).as("in carol's INBOX").isPresent();
        assertThat(MaildirOnDisk.awaitMessageContaining(server.maildir(ADMIN), Duration.ofSeconds(2), subject)).as("not the admin's").isEmpty();
    }

    @Test
    @Order(6)
    void lmtpAcceptsThePostmasterToo() throws Exception {
        try (SmtpClient lmtp = SmtpClient.connect(server.port("lmtp"))) {
            SmtpClient.expect(lmtp.greeting(), 220);
            SmtpClient.expect(lmtp.command("LHLO mta.client.test"), 250);
            SmtpClient.expect(lmtp.command("MAIL FROM:<sender@client.test>"), 250);
            SmtpClient.Reply reply = lmtp.command("RCPT TO:<postmaster@" + OTHER_DOMAIN + ">");

            assertThat(reply.code()).as("%s", reply).isEqualTo(250);
        }
    }

    /** Not a way to relay: only this server's domains have their postmaster taken. */
    @Test
    @Order(7)
    void postmasterOfAnotherDomainIsStillRefusedToOutsiders() throws Exception {
        try (SmtpClient smtp = outsider()) {
            SmtpClient.Reply reply = smtp.command("RCPT TO:<postmaster@remote.example>");

            assertThat(reply.code()).as("%s", reply).isEqualTo(554);
            assertThat(reply.last()).endsWith("Relay access denied");
        }
    }

    @Test
    @Order(8)
    void otherUnknownLocalAddressesAreStillRefused() throws Exception {
        try (SmtpClient smtp = outsider()) {
            SmtpClient.Reply reply = smtp.command("RCPT TO:<webmaster@" + DOMAIN + ">");

            assertThat(reply.code()).as("%s", reply).isEqualTo(550);
        }
    }

    private static SmtpClient outsider() throws Exception {
        return SmtpClient.outsiderTransaction(server.port("smtp"), "eve@elsewhere.example");
    }

    /** From outside the trusted networks, without login: each RCPT must get 250. */
    private static SmtpClient.Reply sendFromOutsider(List<String> recipients, String subject) throws Exception {
        try (SmtpClient smtp = outsider()) {
            for (String recipient : recipients) {
                SmtpClient.expect(smtp.command("RCPT TO:<" + recipient + ">"), 250);
            }
            SmtpClient.expect(smtp.command("DATA"), 354);
            return smtp.sendData(("From: <eve@elsewhere.example>\r\nTo: <postmaster@" + DOMAIN + ">\r\nSubject: " + subject
                + "\r\n\r\nA report for the postmaster.\r\n").getBytes(ISO_8859_1));
        }
    }

    private static void awaitInErrorRepository(String queueId) throws InterruptedException {
        long deadline = System.nanoTime() + DELIVERY.toNanos();
        while (!new WebAdmin(server).get("/mailRepositories/var%2Fmail%2Ferror/mails").contains(queueId)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(queueId + " not in the error repository");
            }
            Thread.sleep(200);
        }
    }
}
