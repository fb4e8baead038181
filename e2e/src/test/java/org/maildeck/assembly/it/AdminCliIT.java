package org.maildeck.assembly.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.maildeck.assembly.it.MaildeckInstance.Result;

/**
 * {@code bin/maildeck domain|user|alias ...} against a running server: the fork's shared server,
 * so every test works in domains of its own. The domains and users a test only needs in place
 * are made through the harness (WebAdmin, as the commands do): a command is a JVM of ~0.8 s of
 * CPU, and CI is bound by its two cores' CPU; the commands a test runs are the ones it tests.
 */
class AdminCliIT {

    /** The fork's shared server (a test restarts it, TestServer); every test adds domains of its own. */
    @RegisterExtension
    static final TestServer maildeck = TestServer.shared();
    private static MaildeckInstance server;

    @BeforeAll
    static void onItsServer() {
        server = maildeck.instance();
    }

    @Test
    void statusShowsSpamdAsDisabledWhenSpamFilteringIsOff() {
        // test instances without a spamd of their own run with spamd.enabled=false

        assertThat(succeeds("status")).containsPattern("(?m)^  spamd +disabled \\(spamd\\.enabled=false in contentfilter\\.properties\\)$");
    }

    @Test
    void domainAddThenListShowsIt() {
        succeeds("domain", "add", "listed.test");

        assertThat(succeeds("domain", "list").lines()).contains("listed.test", "localhost").isSorted();
    }

    @Test
    void userAddedWithPasswordStdinCanLogInOverImap() throws IOException {
        maildeck.domain("login.test");

        succeedsWithInput("s3cret-Pass\n", "user", "add", "alice@login.test", "--password-stdin");

        assertThat(succeeds("user", "list").lines()).contains("alice@login.test");
        assertThat(imapLogin("alice@login.test", "s3cret-Pass")).isTrue();
    }

    @Test
    void duplicateUserIsRefused() {
        maildeck.domain("duplicate.test");
        maildeck.webAdmin().addUser("bob@duplicate.test", "first");

        Result again = server.maildeckWithInput("second\n", "user", "add", "bob@duplicate.test", "--password-stdin");

        assertFailure(again, 1, "maildeck: user 'bob@duplicate.test' already exists");
    }

    @Test
    void userInUnknownDomainIsRefused() {
        Result result = server.maildeckWithInput("pw\n", "user", "add", "carol@unknown.test", "--password-stdin");

        assertFailure(result, 1, "maildeck: unknown domain 'unknown.test' (add it with: maildeck domain add unknown.test)");
    }

    @Test
    void aliasInUnknownDomainIsRefused() {
        maildeck.domain("alias-target.test");
        maildeck.webAdmin().addUser("dora@alias-target.test", "pw");

        Result result = server.maildeck("alias", "add", "info@no-alias-domain.test", "dora@alias-target.test");

        assertFailure(result, 1, "maildeck: unknown domain 'no-alias-domain.test' (add it with: maildeck domain add no-alias-domain.test)");
    }

    @Test
    void malformedAddressIsRefused() {
        Result result = server.maildeckWithInput("pw\n", "user", "add", "no at sign.test", "--password-stdin");

        assertFailure(result, 2, "maildeck: malformed address 'no at sign.test'");
    }

    @Test
    void emptyPasswordIsRefused() {
        maildeck.domain("empty-password.test");

        Result result = server.maildeckWithInput("\n", "user", "add", "erin@empty-password.test", "--password-stdin");

        assertFailure(result, 1, "maildeck: empty password refused");
        assertThat(succeeds("user", "list").lines()).doesNotContain("erin@empty-password.test");
    }

    @Test
    void passwdReplacesThePassword() throws IOException {
        maildeck.domain("passwd.test");
        maildeck.webAdmin().addUser("frank@passwd.test", "old-password");

        succeedsWithInput("new-password\n", "user", "passwd", "frank@passwd.test", "--password-stdin");

        assertThat(imapLogin("frank@passwd.test", "old-password")).isFalse();
        assertThat(imapLogin("frank@passwd.test", "new-password")).isTrue();
    }

    @Test
    void passwdOfUnknownUserIsRefused() {
        maildeck.domain("passwd-unknown.test");

        Result result = server.maildeckWithInput("pw\n", "user", "passwd", "ghost@passwd-unknown.test", "--password-stdin");

        assertFailure(result, 1, "maildeck: no such user 'ghost@passwd-unknown.test'");
    }

    @Test
    void aliasAddThenListShowsIt() {
        maildeck.domain("alias.test");
        maildeck.webAdmin().addUser("gina@alias.test", "pw");

        succeeds("alias", "add", "sales+eu@alias.test", "gina@alias.test");

        assertThat(succeeds("alias", "list").lines()).contains("sales+eu@alias.test -> gina@alias.test");
    }

    @Test
    void catchAllIsAddedAndListedAsPostfixWritesIt() {
        maildeck.domain("catch-all.test");
        maildeck.webAdmin().addUser("catcher@catch-all.test", "pw");

        succeeds("alias", "add", "@catch-all.test", "catcher@catch-all.test");

        assertThat(succeeds("alias", "list").lines()).contains("@catch-all.test -> catcher@catch-all.test");
    }

    @Test
    void secondCatchAllOfADomainIsRefused() {
        maildeck.domain("catch-twice.test");
        maildeck.webAdmin().addUser("first@catch-twice.test", "pw");
        maildeck.webAdmin().addUser("second@catch-twice.test", "pw");
        succeeds("alias", "add", "@catch-twice.test", "first@catch-twice.test");

        Result result = server.maildeck("alias", "add", "@catch-twice.test", "second@catch-twice.test");

        assertFailure(result, 1, "maildeck: domain 'catch-twice.test' already has the catch-all '@catch-twice.test -> first@catch-twice.test' (remove it first)");
    }

    @Test
    void catchAllRemovedIsNoLongerListed() {
        maildeck.domain("catch-removed.test");
        maildeck.webAdmin().addUser("kim@catch-removed.test", "pw");
        succeeds("alias", "add", "@catch-removed.test", "kim@catch-removed.test");

        succeeds("alias", "remove", "@catch-removed.test", "kim@catch-removed.test");

        assertThat(succeeds("alias", "list").lines()).noneMatch(line -> line.startsWith("@catch-removed.test"));
    }

    @Test
    void catchAllToAnAddressThatIsNoUserIsRefused() {
        maildeck.domain("catch-nobody.test");

        Result result = server.maildeck("alias", "add", "@catch-nobody.test", "nobody@catch-nobody.test");

        assertFailure(result, 1, "maildeck: catch-all target 'nobody@catch-nobody.test' is not a user (a catch-all delivers to an account)");
    }

    @Test
    void removeOfMissingAliasIsRefused() {
        maildeck.domain("alias-missing.test");

        Result result = server.maildeck("alias", "remove", "nobody@alias-missing.test", "somebody@alias-missing.test");

        assertFailure(result, 1, "maildeck: no such alias 'nobody@alias-missing.test -> somebody@alias-missing.test'");
    }

    @Test
    void removedUserCannotLogIn() throws IOException {
        maildeck.domain("removed.test");
        maildeck.webAdmin().addUser("hank@removed.test", "pw-before-removal");

        succeeds("user", "remove", "hank@removed.test");

        assertThat(succeeds("user", "list").lines()).doesNotContain("hank@removed.test");
        assertThat(imapLogin("hank@removed.test", "pw-before-removal")).isFalse();
    }

    @Test
    void domainRemoveTakesItOffTheList() {
        maildeck.webAdmin().addDomain("short-lived.test");

        succeeds("domain", "remove", "short-lived.test");

        assertThat(succeeds("domain", "list").lines()).doesNotContain("short-lived.test");
    }

    @Test
    void removeOfMissingDomainIsRefused() {
        Result result = server.maildeck("domain", "remove", "never-added.test");

        assertFailure(result, 1, "maildeck: no such domain 'never-added.test'");
    }

    @Test
    void usageErrorExitsWithTwo() {
        Result result = server.maildeck("domain", "rename", "a.test");

        assertFailure(result, 2, "maildeck: unknown command 'rename' (see: maildeck domain --help)");
    }

    @Test
    void serverNotRunningIsReported() {
        try (MaildeckInstance stopped = MaildeckInstance.create()) {
            Result result = stopped.maildeck("domain", "list");

            assertFailure(result, 1, "maildeck: server not running (no answer from WebAdmin at 127.0.0.1:" + stopped.port("webadmin") + ")");
        }
    }

    /**
     * bin/maildeck starts the commands with the CLI jar alone: its manifest's Class-Path names the
     * jars it needs, as the distribution's lib/ calls them (a name that differs would leave a
     * class out only when a command first needs it).
     */
    @Test
    void everyJarOnTheCommandsClassPathIsInTheDistribution() throws IOException {
        Path lib = MaildeckInstance.distribution().resolve("lib");
        Path cli;
        try (var jars = Files.list(lib)) {
            cli = jars.filter(jar -> jar.getFileName().toString().startsWith("maildeck-cli-")).findFirst().orElseThrow();
        }
        List<String> classPath;
        try (JarFile jar = new JarFile(cli.toFile())) {
            classPath = Arrays.asList(jar.getManifest().getMainAttributes().getValue("Class-Path").split(" "));
        }

        assertThat(classPath).anyMatch(name -> name.startsWith("picocli-")).anyMatch(name -> name.startsWith("maildeck-adminaccess-"));
        assertThat(classPath).allSatisfy(name -> assertThat(lib.resolve(name)).as("lib/" + name).isRegularFile());
    }

    /**
     * The commands' class archive (bin/maildeck, "Class-data sharing for the commands"), made by
     * the first command of the distribution that succeeded, holds the classes of picocli, whose
     * class files (Java 5) the JVM's dynamic archive left out: a command maps them from it.
     */
    @Test
    void aCommandLoadsPicocliFromTheCommandsClassArchive() throws Exception {
        succeeds("domain", "list");
        Path archive = awaitCommandArchive(Duration.ofSeconds(60));
        Path classes = Files.createTempFile(MaildeckInstance.testWork().toAbsolutePath(), "command-classes-", ".log");
        ProcessBuilder command = server.launcher("domain", "list").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        command.environment().put("JAVA_TOOL_OPTIONS", "-Xlog:class+load=info:file=" + classes);

        Process process = command.start();

        assertThat(process.waitFor(1, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).isZero();
        assertThat(Files.readString(classes)).as("classes loaded with " + archive)
            .contains("picocli.CommandLine$Model$CommandSpec source: shared objects file");
    }

    /** The commands' archive (command-KEY.SIZE.jsa) once it is complete (another fork's command may be making it). */
    private static Path awaitCommandArchive(Duration timeout) throws IOException, InterruptedException {
        Path folder = MaildeckInstance.distribution().resolve("cds");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (Files.isDirectory(folder)) {
                try (var files = Files.list(folder)) {
                    Optional<Path> archive = files.filter(file -> file.getFileName().toString().matches("command-[0-9a-f]+\\.[0-9]+\\.jsa")).findFirst();
                    if (archive.isPresent()) {
                        return archive.get();
                    }
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no command archive in " + folder + " after " + timeout);
            }
            Thread.sleep(200);
        }
    }

    @Test
    void usersDomainsAndAliasesSurviveARestart() throws IOException {
        succeeds("domain", "add", "durable.test");
        succeedsWithInput("durable-pw\n", "user", "add", "ivy@durable.test", "--password-stdin");
        succeeds("alias", "add", "postmaster@durable.test", "ivy@durable.test");

        assertThat(server.stop().exitCode()).isZero();
        server.start();

        assertThat(succeeds("domain", "list").lines()).contains("durable.test");
        assertThat(succeeds("user", "list").lines()).contains("ivy@durable.test");
        assertThat(succeeds("alias", "list").lines()).contains("postmaster@durable.test -> ivy@durable.test");
        assertThat(imapLogin("ivy@durable.test", "durable-pw")).isTrue();
    }

    private static String succeeds(String... args) {
        return assertSuccess(server.maildeck(args));
    }

    private static String succeedsWithInput(String stdin, String... args) {
        return assertSuccess(server.maildeckWithInput(stdin, args));
    }

    private static String assertSuccess(Result result) {
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.stderr()).as(result.toString()).isEmpty();
        return result.stdout();
    }

    /** The exit code and exactly one line on stderr: nothing else may leak out (logging, stack traces). */
    private static void assertFailure(Result result, int exitCode, String line) {
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(exitCode);
        assertThat(result.stderr()).as(result.toString()).isEqualTo(line + "\n");
        assertThat(result.stdout()).as(result.toString()).isEmpty();
    }

    /** IMAP LOGIN over plain loopback (allowed by the shipped imapserver.xml). */
    private static boolean imapLogin(String user, String password) throws IOException {
        try (ImapWire imap = ImapWire.connect(server.port("imap"))) {
            ImapWire.Reply login = imap.command("LOGIN \"" + user + "\" \"" + password + "\"");
            if (login.tagged() == null) {
                throw new IOException("no answer to LOGIN: " + login);
            }
            return login.isOk();
        }
    }
}
