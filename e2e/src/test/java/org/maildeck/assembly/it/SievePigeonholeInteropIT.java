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
 * Maildeck and Dovecot's Pigeonhole share the users' Sieve scripts on one mail root: a script
 * Dovecot stores and activates ({@code doveadm sieve put -a}) filters the mail Maildeck delivers,
 * and a script in the layout Maildeck runs is Pigeonhole's active script, which Dovecot's LDA
 * runs the same way. The same across the two ManageSieve servers (Dovecot's {@code managesieved}
 * and Maildeck's), each used by {@code sieve-connect}: a script uploaded through one is listed
 * ACTIVE by the other and run by the other's delivery.
 *
 * <p>Needs Dovecot and Pigeonhole (Debian's {@code dovecot-imapd} and {@code dovecot-sieve}; for
 * the ManageSieve tests {@code dovecot-managesieved} and {@code sieve-connect}), which
 * scripts/test installs: without them the tests fail. Dovecot never works as root; the mail root
 * is handed to its account before it looks ({@link DovecotInstance#shareMailRoot()}).</p>
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class SievePigeonholeInteropIT {

    private static final String DOMAIN = "pigeonhole.test";
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
        assertThat(DovecotInstance.available() && Files.exists(DovecotInstance.SIEVE_PLUGIN))
            .as("these tests need Dovecot and Pigeonhole (dovecot-imapd, dovecot-sieve; scripts/test installs them)").isTrue();
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
    void aScriptDovecotStoredAndActivatedFiltersTheMailMaildeckDelivers() throws Exception {
        String user = newUser("dovecotput");
        dovecot = startDovecot(user);

        dovecot.doveadmReading(FILE_LISTS.getBytes(UTF_8), "sieve", "put", "-u", user, "-a", "lists");
        assertThat(Files.readSymbolicLink(home(user).resolve(PigeonholeLayout.ACTIVE))).isEqualTo(Path.of("sieve/lists.sieve"));
        String subject = "list traffic " + UUID.randomUUID();
        SmtpClient.deliver(maildeck.port("smtp"), "news@lists.test", List.of(user), message(user, subject));

        Path lists = MaildirOnDisk.folder(maildeck.maildir(user), "Lists");
        List<Path> filed = MaildirOnDisk.awaitFiles(lists, "new", 1, DELIVERY);
        assertThat(new String(MaildirOnDisk.read(filed.get(0)), ISO_8859_1)).contains("Subject: " + subject);
    }

    @Test
    void aScriptInTheLayoutMaildeckRunsIsPigeonholesActiveScript() throws Exception {
        String user = newUser("maildeckput");
        PigeonholeLayout.activate(home(user), "lists", FILE_LISTS);
        dovecot = startDovecot(user);

        assertThat(dovecot.doveadm("sieve", "list", "-u", user)).containsPattern("(?m)^lists\\s+ACTIVE\\s*$");
        assertThat(dovecot.doveadm("sieve", "get", "-u", user, "lists")).contains("if exists \"List-Id\" { fileinto \"Lists\"; }");
    }

    @Test
    void dovecotsDeliveryRunsTheScriptMaildeckRunsAlike() throws Exception {
        String user = newUser("bothrun");
        PigeonholeLayout.activate(home(user), "lists", FILE_LISTS);
        dovecot = startDovecot(user);
        String byDovecot = "delivered by dovecot-lda " + UUID.randomUUID();
        String byMaildeck = "delivered by maildeck " + UUID.randomUUID();

        dovecot.deliverWithLda(user, "news@lists.test", message(user, byDovecot));
        SmtpClient.deliver(maildeck.port("smtp"), "news@lists.test", List.of(user), message(user, byMaildeck));

        Path lists = MaildirOnDisk.folder(maildeck.maildir(user), "Lists");
        assertThat(MaildirOnDisk.awaitMessageContaining(lists, DELIVERY, byDovecot)).as("filed by Pigeonhole").isPresent();
        assertThat(MaildirOnDisk.awaitMessageContaining(lists, DELIVERY, byMaildeck)).as("filed by Maildeck").isPresent();
        assertThat(MaildirOnDisk.messages(maildeck.maildir(user))).as("INBOX").isEmpty();
    }

    @Test
    void dovecotsDeliveryRunsAVariablesAndCopyScriptAlike() throws Exception {
        String user = newUser("extensions");
        PigeonholeLayout.activate(home(user), "lists", "require [\"fileinto\", \"variables\", \"copy\"];\r\n"
            + "if header :matches \"Subject\" \"[*] *\" {\r\n  set :lower \"list\" \"${1}\";\r\n  fileinto :copy \"Lists.${list}\";\r\n}\r\n");
        dovecot = startDovecot(user);
        String byDovecot = "[ACME-Users] delivered by dovecot-lda " + UUID.randomUUID();
        String byMaildeck = "[ACME-Users] delivered by maildeck " + UUID.randomUUID();

        dovecot.deliverWithLda(user, "news@lists.test", message(user, byDovecot));
        SmtpClient.deliver(maildeck.port("smtp"), "news@lists.test", List.of(user), message(user, byMaildeck));

        Path list = MaildirOnDisk.folder(maildeck.maildir(user), "Lists.acme-users");
        assertThat(MaildirOnDisk.awaitMessageContaining(list, DELIVERY, byDovecot)).as("filed by Pigeonhole").isPresent();
        assertThat(MaildirOnDisk.awaitMessageContaining(list, DELIVERY, byMaildeck)).as("filed by Maildeck").isPresent();
        assertThat(MaildirOnDisk.awaitMessageContaining(maildeck.maildir(user), DELIVERY, byDovecot)).as("kept by Pigeonhole").isPresent();
        assertThat(MaildirOnDisk.awaitMessageContaining(maildeck.maildir(user), DELIVERY, byMaildeck)).as("kept by Maildeck").isPresent();
    }

    @Test
    void aScriptUploadedThroughDovecotsManageSieveFiltersTheMailMaildeckDelivers() throws Exception {
        String user = newUser("viadovecot");
        dovecot = startDovecotWithManageSieve(user);
        SieveConnect throughDovecot = SieveConnect.inClear(dovecot.manageSievePort(), user, PASSWORD);

        succeeded(throughDovecot.upload(scriptFile(FILE_LISTS), "lists"));
        succeeded(throughDovecot.activate("lists"));

        assertThat(Files.readSymbolicLink(home(user).resolve(PigeonholeLayout.ACTIVE))).isEqualTo(Path.of("sieve/lists.sieve"));
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
        succeeded(throughMaildeck.upload(scriptFile(FILE_LISTS), "lists"));
        succeeded(throughMaildeck.activate("lists"));
        dovecot = startDovecotWithManageSieve(user);

        assertThat(dovecot.doveadm("sieve", "list", "-u", user)).containsPattern("(?m)^lists\\s+ACTIVE\\s*$");
        assertThat(succeeded(SieveConnect.inClear(dovecot.manageSievePort(), user, PASSWORD).list()).output())
            .as("listed by Dovecot's managesieved").containsPattern("(?m)^\"?lists\"?\\s+ACTIVE");
        String subject = "delivered by dovecot-lda " + UUID.randomUUID();
        dovecot.deliverWithLda(user, "news@lists.test", message(user, subject));
        Path lists = MaildirOnDisk.folder(maildeck.maildir(user), "Lists");
        assertThat(MaildirOnDisk.awaitMessageContaining(lists, DELIVERY, subject)).as("filed by Pigeonhole").isPresent();
    }

    // ---------------------------------------------------------------------------------------

    private static DovecotInstance startDovecotWithManageSieve(String user) {
        assertThat(Files.exists(DovecotInstance.MANAGESIEVE) && SieveConnect.available())
            .as("this test needs dovecot-managesieved and sieve-connect (scripts/test installs them)").isTrue();
        Path work = shared.resolve("dovecot-" + UUID.randomUUID().toString().substring(0, 8));
        return DovecotInstance.startWithManageSieve(maildeck.mailRoot(), work, Map.of(user, PASSWORD));
    }

    private Path scriptFile(String script) throws IOException {
        return Files.writeString(work.resolve(UUID.randomUUID() + ".siv"), script, UTF_8);
    }

    private static SieveConnect.Result succeeded(SieveConnect.Result result) {
        assertThat(result.exitCode()).as("sieve-connect: %s", result.output()).isZero();
        return result;
    }

    private static String newUser(String prefix) throws IOException {
        String user = prefix + "-" + UUID.randomUUID().toString().substring(0, 8) + "@" + DOMAIN;
        webAdmin.addUser(user, PASSWORD);
        Files.createDirectories(maildeck.maildir(user));
        return user;
    }

    private static Path home(String user) {
        return maildeck.maildir(user).getParent();
    }

    private static DovecotInstance startDovecot(String user) {
        Path work = shared.resolve("dovecot-" + UUID.randomUUID().toString().substring(0, 8));
        return DovecotInstance.start(maildeck.mailRoot(), work, Map.of(user, PASSWORD));
    }

    private static byte[] message(String to, String subject) {
        return ("From: news@lists.test\r\nTo: " + to + "\r\nSubject: " + subject + "\r\nList-Id: <news.lists.test>\r\nMessage-ID: <"
            + UUID.randomUUID() + "@lists.test>\r\n\r\nToday's news.\r\n").getBytes(ISO_8859_1);
    }
}
