package org.maildeck.assembly.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Maildeck's ManageSieve and Dovecot's ({@code managesieved}) on one mail root, each used by
 * {@code sieve-connect}: a script uploaded and activated through Dovecot filters the mail
 * Maildeck delivers, and one uploaded and activated through Maildeck is the script Dovecot lists
 * ACTIVE and its LDA runs.
 *
 * <p>Needs Dovecot, Pigeonhole and its ManageSieve (Debian's {@code dovecot-imapd},
 * {@code dovecot-sieve}, {@code dovecot-managesieved}) and {@code sieve-connect}, which
 * scripts/test installs: without them the tests fail.</p>
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ManageSievePigeonholeInteropIT {

    private static final String DOMAIN = "managesieve-interop.test";
    private static final String PASSWORD = TestServer.PASSWORD;
    private static final Duration DELIVERY = Duration.ofSeconds(30);
    private static final String FILE_LISTS = "require \"fileinto\";\r\n"
        + "if exists \"List-Id\" { fileinto \"Lists\"; }\r\n";

    private static Path shared;
    private static MaildeckInstance maildeck;
    private static WebAdmin webAdmin;
    private DovecotInstance dovecot;

    @TempDir
    Path work;

    @BeforeAll
    static void startMaildeck() {
        assertThat(DovecotInstance.available() && Files.exists(DovecotInstance.SIEVE_PLUGIN) && Files.exists(DovecotInstance.MANAGESIEVE))
            .as("these tests need Dovecot, Pigeonhole and its ManageSieve (dovecot-imapd, dovecot-sieve, dovecot-managesieved)").isTrue();
        assertThat(SieveConnect.available()).as("these tests need sieve-connect").isTrue();
        shared = DovecotInteropIT.sharedDirectory();
        maildeck = MaildeckInstance.createWithMailRoot(shared.resolve("mail")).start();
        webAdmin = new WebAdmin(maildeck).addDomain(DOMAIN);
    }

    @AfterEach
    void stopDovecot() {
        if (dovecot != null) {
            dovecot.close();
        }
    }

    @AfterAll
    static void stopMaildeck() {
        if (maildeck != null) {
            maildeck.close();
        }
    }

    @Test
    void aScriptUploadedThroughDovecotsManageSieveFiltersTheMailMaildeckDelivers() throws Exception {
        String user = newUser("viadovecot");
        dovecot = DovecotInstance.startWithManageSieve(maildeck.mailRoot(), dovecotWork(), Map.of(user, PASSWORD));
        SieveConnect throughDovecot = SieveConnect.inClear(dovecot.manageSievePort(), user, PASSWORD);

        succeeded(throughDovecot.upload(script("lists.siv", FILE_LISTS), "lists"));
        succeeded(throughDovecot.activate("lists"));

        assertThat(Files.readSymbolicLink(home(user).resolve(".dovecot.sieve"))).isEqualTo(Path.of("sieve/lists.sieve"));
        assertThat(succeeded(new SieveConnect(maildeck.port("managesieve"), user, PASSWORD).list()).output())
            .as("listed by Maildeck's ManageSieve").containsPattern("(?m)^\"?lists\"?\\s+ACTIVE");
        String subject = "list traffic " + UUID.randomUUID();
        SmtpClient.deliver(maildeck.port("smtp"), "news@lists.test", List.of(user), message(user, subject));
        Path lists = MaildirOnDisk.folder(maildeck.maildir(user), "Lists");
        assertThat(MaildirOnDisk.awaitMessageContaining(lists, DELIVERY, subject)).as("filed by Maildeck").isPresent();
    }

    @Test
    void aScriptUploadedThroughMaildecksManageSieveIsDovecotsActiveScriptAndItsLdaRunsIt() throws Exception {
        String user = newUser("viamaildeck");
        SieveConnect throughMaildeck = new SieveConnect(maildeck.port("managesieve"), user, PASSWORD);
        succeeded(throughMaildeck.upload(script("lists.siv", FILE_LISTS), "lists"));
        succeeded(throughMaildeck.activate("lists"));
        dovecot = DovecotInstance.startWithManageSieve(maildeck.mailRoot(), dovecotWork(), Map.of(user, PASSWORD));

        assertThat(dovecot.doveadm("sieve", "list", "-u", user)).containsPattern("(?m)^lists\\s+ACTIVE\\s*$");
        assertThat(succeeded(SieveConnect.inClear(dovecot.manageSievePort(), user, PASSWORD).list()).output())
            .as("listed by Dovecot's managesieved").containsPattern("(?m)^\"?lists\"?\\s+ACTIVE");
        String subject = "delivered by dovecot-lda " + UUID.randomUUID();
        dovecot.deliverWithLda(user, "news@lists.test", message(user, subject));
        Path lists = MaildirOnDisk.folder(maildeck.maildir(user), "Lists");
        assertThat(MaildirOnDisk.awaitMessageContaining(lists, DELIVERY, subject)).as("filed by Pigeonhole").isPresent();
    }

    // ---------------------------------------------------------------------------------------

    private static String newUser(String prefix) throws IOException {
        String user = prefix + "-" + UUID.randomUUID().toString().substring(0, 8) + "@" + DOMAIN;
        webAdmin.addUser(user, PASSWORD);
        Files.createDirectories(maildeck.maildir(user));
        return user;
    }

    private static Path home(String user) {
        return maildeck.maildir(user).getParent();
    }

    private static Path dovecotWork() {
        return shared.resolve("dovecot-" + UUID.randomUUID().toString().substring(0, 8));
    }

    private Path script(String name, String content) throws IOException {
        return Files.writeString(work.resolve(name), content, UTF_8);
    }

    private static SieveConnect.Result succeeded(SieveConnect.Result result) {
        assertThat(result.exitCode()).as("sieve-connect: %s", result.output()).isZero();
        return result;
    }

    private static byte[] message(String to, String subject) {
        return ("From: news@lists.test\r\nTo: " + to + "\r\nSubject: " + subject + "\r\nList-Id: <news.lists.test>\r\nMessage-ID: <"
            + UUID.randomUUID() + "@lists.test>\r\n\r\nToday's news.\r\n").getBytes(ISO_8859_1);
    }
}
