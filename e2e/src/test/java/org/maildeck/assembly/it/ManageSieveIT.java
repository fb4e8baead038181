package org.maildeck.assembly.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * ManageSieve (RFC 5804) on the scripts in Pigeonhole's layout: Debian's {@code sieve-connect}
 * uploads, activates, checks, lists and deletes over STARTTLS, and what it uploads filters real
 * SMTP delivery; what a client must not do (AUTHENTICATE before TLS, path tricks in names, a
 * script over the size limit, one script too many, a planted symlink) is refused, and nothing
 * outside the user's home is read or written.
 *
 * <p>Needs {@code sieve-connect} (scripts/test installs it).</p>
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ManageSieveIT {

    private static final String DOMAIN = "managesieve.test";
    private static final Duration DELIVERY = Duration.ofSeconds(30);
    private static final String FILE_INVOICES = "require \"fileinto\";\r\n"
        + "if header :contains \"Subject\" \"invoice\" { fileinto \"Invoices\"; }\r\n";

    @RegisterExtension
    static final TestServer maildeck = TestServer.shared();

    @TempDir
    Path work;

    @BeforeAll
    static void onTheSharedServer() {
        assertThat(SieveConnect.available()).as("these tests need sieve-connect (scripts/test installs it)").isTrue();
    }

    @Test
    void aScriptUploadedAndActivatedWithSieveConnectFiltersSmtpDelivery() throws Exception {
        String user = newUser("upload");
        SieveConnect client = client(user);

        assertSucceeded(client.upload(scriptFile("invoices.siv", FILE_INVOICES), "invoices"));
        assertSucceeded(client.activate("invoices"));

        assertThat(Files.readString(home(user).resolve("sieve/invoices.sieve"), UTF_8)).isEqualTo(FILE_INVOICES);
        assertThat(Files.readSymbolicLink(home(user).resolve(".dovecot.sieve"))).isEqualTo(Path.of("sieve/invoices.sieve"));
        String subject = "invoice " + UUID.randomUUID();
        SmtpClient.deliver(maildeck.port("smtp"), "billing@client.test", List.of(user), message(user, subject));
        Path invoices = MaildirOnDisk.folder(maildeck.instance().maildir(user), "Invoices");
        List<Path> filed = MaildirOnDisk.awaitFiles(invoices, "new", 1, DELIVERY);
        assertThat(new String(MaildirOnDisk.read(filed.get(0)), ISO_8859_1)).contains("Subject: " + subject);
    }

    @Test
    void sieveConnectListsTheActiveScriptAndDeletesAnInactiveOne() throws Exception {
        String user = newUser("list");
        SieveConnect client = client(user);
        assertSucceeded(client.upload(scriptFile("a.siv", FILE_INVOICES), "active-one"));
        assertSucceeded(client.upload(scriptFile("b.siv", "keep;\r\n"), "spare"));
        assertSucceeded(client.activate("active-one"));

        SieveConnect.Result listed = assertSucceeded(client.list());
        assertThat(listed.output()).containsPattern("(?m)^\"?active-one\"?\\s+ACTIVE").containsPattern("(?m)^\"?spare\"?\\s*$");

        assertSucceeded(client.delete("spare"));
        assertThat(home(user).resolve("sieve/spare.sieve")).doesNotExist();
        assertThat(assertSucceeded(client.list()).output()).doesNotContain("spare");
    }

    @Test
    void sieveConnectDownloadsWhatItUploadedNonAsciiTextIncluded() throws Exception {
        String user = newUser("download");
        SieveConnect client = client(user);
        String script = "# Grüße, vacances d'été\r\n" + FILE_INVOICES;
        assertSucceeded(client.upload(scriptFile("up.siv", script), "roundtrip"));

        Path down = work.resolve("down.siv");
        assertSucceeded(client.download("roundtrip", down));

        assertThat(Files.readString(down, UTF_8)).isEqualTo(script);
        assertThat(Files.readString(home(user).resolve("sieve/roundtrip.sieve"), UTF_8)).isEqualTo(script);
    }

    @Test
    void checkscriptNamesTheLineAndColumnOfASyntaxError() throws Exception {
        String user = newUser("check");
        SieveConnect.Result checked = client(user).check(scriptFile("broken.siv", "require \"fileinto\";\r\nif header :contains \"Subject\" \"x\" {\r\n  fileinto \"A\"\r\n}\r\n"));

        assertThat(checked.exitCode()).as("%s", checked).isNotZero();
        assertThat(checked.output()).contains("line 4, column 1");
    }

    @Test
    void putscriptOfABrokenScriptIsRefusedWithItsPositionAndStoresNothing() throws Exception {
        String user = newUser("putbroken");
        try (ManageSieveWire wire = login(user)) {
            List<String> answer = wire.putScript("\"broken\"", "if true {\r\n  keep\r\n}\r\n");

            assertThat(ManageSieveWire.last(answer)).startsWith("NO").contains("line 3, column 1");
        }
        assertThat(home(user).resolve("sieve/broken.sieve")).doesNotExist();
    }

    @Test
    void authenticateBeforeStartTlsIsRefused() throws Exception {
        String user = newUser("cleartext");
        try (ManageSieveWire wire = ManageSieveWire.connect(maildeck.port("managesieve"))) {
            List<String> answer = wire.command("AUTHENTICATE \"PLAIN\" \"" + ManageSieveWire.plain(user, TestServer.PASSWORD) + "\"");

            assertThat(ManageSieveWire.last(answer)).startsWith("NO (ENCRYPT-NEEDED)");
            assertThat(ManageSieveWire.last(wire.command("LISTSCRIPTS"))).startsWith("NO");
        }
    }

    @Test
    void namesWithPathTricksAreRefusedAndNothingIsWrittenOutsideTheHome() throws Exception {
        String user = newUser("names");
        Path domainDirectory = home(user).getParent();
        try (ManageSieveWire wire = login(user)) {
            for (String name : List.of("\"../escape\"", "\"sub/dir\"", "\"..\"", "\"nul\0byte\"", "\"line\u0001break\"",
                    "\"" + "x".repeat(300) + "\"")) {
                assertThat(ManageSieveWire.last(wire.putScript(name, "keep;\r\n"))).as("PUTSCRIPT %s", name).startsWith("NO");
            }
            assertThat(ManageSieveWire.last(wire.command("SETACTIVE \"../../etc/passwd\""))).startsWith("NO");
        }
        assertThat(domainDirectory.resolve("escape.sieve")).doesNotExist();
        assertThat(home(user).resolve("sieve")).satisfiesAnyOf(
            scripts -> assertThat(scripts).doesNotExist(),
            scripts -> assertThat(scripts).isEmptyDirectory());
        assertThat(home(user).resolve(".dovecot.sieve")).doesNotExist();
    }

    @Test
    void aScriptOverTheSizeLimitIsRefusedBeforeItsBytesAreRead() throws Exception {
        String user = newUser("huge");
        try (ManageSieveWire wire = login(user)) {
            List<String> answer = wire.command("PUTSCRIPT \"huge\" {2000000+}");

            assertThat(answer.get(0)).startsWith("NO (QUOTA/MAXSIZE)");
        }
        assertThat(home(user).resolve("sieve/huge.sieve")).doesNotExist();
    }

    @Test
    void haveSpaceRefusesAScriptOverTheSizeLimit() throws Exception {
        String user = newUser("havespace");
        try (ManageSieveWire wire = login(user)) {
            assertThat(ManageSieveWire.last(wire.command("HAVESPACE \"big\" 2000000"))).startsWith("NO (QUOTA/MAXSIZE)");
            assertThat(ManageSieveWire.last(wire.command("HAVESPACE \"small\" 2000"))).startsWith("OK");
        }
    }

    @Test
    void oneScriptOverTheCountLimitIsRefused() throws Exception {
        String user = newUser("count");
        Path scripts = Files.createDirectories(home(user).resolve("sieve"));
        for (int i = 0; i < 100; i++) {
            Files.writeString(scripts.resolve("s" + i + ".sieve"), "keep;\r\n");
        }
        try (ManageSieveWire wire = login(user)) {
            assertThat(ManageSieveWire.last(wire.putScript("\"one-more\"", "keep;\r\n"))).startsWith("NO (QUOTA/MAXSIZE)");
            assertThat(ManageSieveWire.last(wire.putScript("\"s7\"", "discard;\r\n"))).as("replacing one").startsWith("OK");
        }
        assertThat(scripts.resolve("one-more.sieve")).doesNotExist();
    }

    @Test
    void aPlantedSymlinkEscapingTheHomeIsNeitherReadNorWrittenThrough() throws Exception {
        String user = newUser("symlink");
        Path outside = Files.writeString(work.resolve("outside.sieve"), "# not the user's\r\nkeep;\r\n");
        Path scripts = Files.createDirectories(home(user).resolve("sieve"));
        Files.createSymbolicLink(scripts.resolve("planted.sieve"), outside);
        Files.createSymbolicLink(home(user).resolve(".dovecot.sieve"), outside);
        try (ManageSieveWire wire = login(user)) {
            assertThat(ManageSieveWire.last(wire.command("GETSCRIPT \"planted\""))).startsWith("NO");
            assertThat(wire.command("LISTSCRIPTS")).noneMatch(line -> line.contains("ACTIVE"));

            assertThat(ManageSieveWire.last(wire.putScript("\"planted\"", "discard;\r\n"))).startsWith("OK");
        }
        assertThat(Files.readString(outside)).isEqualTo("# not the user's\r\nkeep;\r\n");
        assertThat(scripts.resolve("planted.sieve")).isRegularFile().hasContent("discard;\r\n");
    }

    @Test
    void aLoginAndEachChangeAreLoggedAsPigeonholeLogsThem() throws Exception {
        String user = newUser("logged");
        SieveConnect client = client(user);
        assertSucceeded(client.upload(scriptFile("l.siv", "keep;\r\n"), "logged"));

        maildeck.instance().awaitMailLog(Pattern.compile("managesieve-login: Login: user=<" + Pattern.quote(user) + ">, method=PLAIN, rip=127\\.0\\.0\\.1, TLS"),
            Duration.ofSeconds(10));
        maildeck.instance().awaitMailLog(Pattern.compile("managesieve\\(" + Pattern.quote(user) + "\\): stored script \"logged\""), Duration.ofSeconds(10));
    }

    @Test
    void maildeckSievePutActivateListAndShowWorkOnTheLayoutManageSieveServes() throws Exception {
        String user = newUser("admincli");

        MaildeckInstance.Result put = maildeck.instance().maildeck("sieve", "put", user, "invoices", scriptFile("cli.siv", FILE_INVOICES).toString());
        assertThat(put.exitCode()).as("%s", put).isZero();
        MaildeckInstance.Result activated = maildeck.instance().maildeck("sieve", "activate", user, "invoices");
        assertThat(activated.exitCode()).as("%s", activated).isZero();

        assertThat(maildeck.instance().maildeck("sieve", "list", user).stdout()).isEqualTo("invoices ACTIVE\n");
        assertThat(maildeck.instance().maildeck("sieve", "show", user, "invoices").stdout()).isEqualTo(FILE_INVOICES);
        assertThat(Files.readSymbolicLink(home(user).resolve(".dovecot.sieve"))).isEqualTo(Path.of("sieve/invoices.sieve"));
        assertThat(assertSucceeded(client(user).list()).output()).containsPattern("(?m)^\"?invoices\"?\\s+ACTIVE");
    }

    @Test
    void maildeckSievePutRefusesABrokenScriptWithItsPosition() throws Exception {
        String user = newUser("adminbroken");

        MaildeckInstance.Result put = maildeck.instance().maildeck("sieve", "put", user, "broken", scriptFile("b.siv", "if true {\r\n  keep\r\n}\r\n").toString());

        assertThat(put.exitCode()).as("%s", put).isNotZero();
        assertThat(put.stderr()).contains("line 3, column 1");
        assertThat(home(user).resolve("sieve/broken.sieve")).doesNotExist();
    }

    @Test
    void theSieveMBeanCountsTheScriptsRunAtDeliveryAndStatusShowsThem() throws Exception {
        String user = newUser("counted");
        assertSucceeded(client(user).upload(scriptFile("c.siv", FILE_INVOICES), "counted"));
        assertSucceeded(client(user).activate("counted"));
        SmtpClient.deliver(maildeck.port("smtp"), "billing@client.test", List.of(user), message(user, "invoice " + UUID.randomUUID()));
        MaildirOnDisk.awaitFiles(MaildirOnDisk.folder(maildeck.instance().maildir(user), "Invoices"), "new", 1, DELIVERY);

        MaildeckInstance.Result status = maildeck.instance().maildeck("status");

        assertThat(status.stdout()).as("%s", status).containsPattern("sieve \\(since start\\): [1-9]\\d* scripts run, \\d+ failed, \\d+ vacation replies");
    }

    // ---------------------------------------------------------------------------------------

    private static String newUser(String prefix) {
        return maildeck.newUser(prefix, DOMAIN);
    }

    private static Path home(String user) {
        return maildeck.instance().maildir(user).getParent();
    }

    private static SieveConnect client(String user) {
        return new SieveConnect(maildeck.port("managesieve"), user, TestServer.PASSWORD);
    }

    private static ManageSieveWire login(String user) throws Exception {
        return ManageSieveWire.login(maildeck.port("managesieve"), user, TestServer.PASSWORD);
    }

    private Path scriptFile(String name, String script) throws Exception {
        return Files.writeString(work.resolve(name), script, UTF_8);
    }

    private static SieveConnect.Result assertSucceeded(SieveConnect.Result result) {
        assertThat(result.exitCode()).as("sieve-connect: %s", result.output()).isZero();
        return result;
    }

    private static byte[] message(String to, String subject) {
        return ("From: billing@client.test\r\nTo: " + to + "\r\nSubject: " + subject + "\r\nMessage-ID: <" + UUID.randomUUID()
            + "@client.test>\r\n\r\nPlease pay.\r\n").getBytes(ISO_8859_1);
    }
}
