package org.maildeck.installer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * maildeck.service under a real systemd: the DEB installed with dpkg into a booted Debian
 * bookworm ({@link BootedSystem}), where its maintainer script enables and starts the unit, then
 * the unit's promises checked on the running service: its user and capabilities, the hardening
 * as the process sees it, the class-data archive its first run leaves for the next starts, the
 * journal, a restart after a crash, a clean stop, and a removal that stops it and keeps the
 * mail. The tests follow that order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SystemdServiceIT {

    private static final Duration SHORT = Duration.ofSeconds(60);
    private static final Duration START = Duration.ofMinutes(3);
    private static final String USER = "alice@example.test";
    private static final String PASSWORD = "Systemd-Pa55";
    private static final String READY = "org.maildeck.server - ready in ";
    /**
     * Where the installed launcher keeps the server's class-data archive (README, the paragraph on
     * the class-data archive): made after the first run's classes stop growing (15 s), by a
     * lowest-priority JVM of ~30-40 s of CPU, so minutes on a loaded machine.
     */
    private static final String INSTALLED_CDS = "/var/lib/maildeck/cds";
    private static final Duration ARCHIVE = Duration.ofMinutes(10);
    private static final Pattern ARCHIVE_NAME = Pattern.compile("server-[0-9a-f]+\\.[0-9]+\\.jsa");

    private DebianRoot root;
    private BootedSystem system;
    private String installOutput;
    private MailClients mailClients;
    /** The class archive the service's first run made, as the booted system names it. */
    private String classArchive;

    @BeforeAll
    void bootAndInstallTheDeb() throws Exception {
        root = DebianRoot.freshBootableCopy(BuiltPackages.TARGET.resolve("roots/systemd"));
        Files.copy(BuiltPackages.deb(), root.file("/var/tmp/maildeck.deb"));
        system = BootedSystem.boot(root, BuiltPackages.TARGET.resolve("roots/systemd-console.log"));
        mailClients = new MailClients(command -> system.inItsNetwork(SHORT, command));
        installOutput = system.run(Duration.ofMinutes(5), "dpkg", "--install", "/var/tmp/maildeck.deb").orFail().output();
    }

    @AfterAll
    void cleanUp() throws InterruptedException {
        if (system != null) {
            system.close();
        }
        if (root != null) {
            root.close();
        }
    }

    @Test
    @Order(1)
    void installingWhereSystemdRunsEnablesTheServiceAndStartsIt() throws InterruptedException {
        assertThat(system.run(SHORT, "systemctl", "is-enabled", "maildeck").output().trim()).as(installOutput).isEqualTo("enabled");

        awaitReadyLines(1);

        assertThat(system.property("maildeck", "ActiveState")).isEqualTo("active");
    }

    @Test
    @Order(2)
    void theServicesFirstRunLeavesAClassArchiveInItsDataDirectory() throws Exception {
        Path archive = awaitClassArchive();

        assertThat(Files.size(archive)).as("archive size").isGreaterThan(10L * 1024 * 1024);
        String owner = system.run(SHORT, "stat", "-c", "%U:%G", INSTALLED_CDS + "/" + archive.getFileName()).orFail().output().trim();
        assertThat(owner).as("made by the service, as its user").isEqualTo("maildeck:maildeck");
        classArchive = INSTALLED_CDS + "/" + archive.getFileName();
    }

    @Test
    @Order(3)
    void aHostNameThatDoesNotResolveIsAWarningNotAFailedStart() {
        assertThat(journal()).contains("warning: host name " + DebianRoot.UNRESOLVED_HOSTNAME + " does not resolve")
            .doesNotContain("Fatal error while starting James")
            .as("said once, without James's stack trace").doesNotContain("Unable to retrieve hostname");
        assertThat(system.property("maildeck", "NRestarts")).isEqualTo("0");
    }

    @Test
    @Order(4)
    void theServiceRunsAsMaildeckWithOnlyTheRightToBindLowPortsAndNoWayToGainMore() {
        String status = processStatus();
        String uid = system.run(SHORT, "id", "-u", "maildeck").orFail().output().trim();

        assertThat(status).containsPattern("(?m)^Uid:\\s+" + uid + "\\s+" + uid + "\\s+" + uid + "\\s+" + uid + "$");
        // bit 10: CAP_NET_BIND_SERVICE, and nothing else, effective, ambient and in the bounding set
        assertThat(status).containsPattern("(?m)^CapEff:\\s+0000000000000400$")
            .containsPattern("(?m)^CapAmb:\\s+0000000000000400$")
            .containsPattern("(?m)^CapBnd:\\s+0000000000000400$")
            .containsPattern("(?m)^NoNewPrivs:\\s+1$");
    }

    @Test
    @Order(5)
    void theServiceSeesTheSystemReadOnlyItsOwnDataWritableAndAPrivateTmp() {
        List<String[]> mounts = system.run(SHORT, "cat", "/proc/" + mainPid() + "/mountinfo").orFail().output().lines()
            .map(line -> line.split(" ")).toList();

        assertThat(optionsOf(mounts, "/")).as("/ (ProtectSystem=strict)").startsWith("ro");
        assertThat(optionsOf(mounts, "/var/lib/maildeck")).as("ReadWritePaths").startsWith("rw");
        assertThat(optionsOf(mounts, "/var/mail/vhosts")).as("ReadWritePaths").startsWith("rw");
        assertThat(optionsOf(mounts, "/home")).as("/home (ProtectHome)").startsWith("ro");
        assertThat(mounts.stream().filter(mount -> mount[4].equals("/tmp")).map(mount -> mount[3]))
            .as("/tmp (PrivateTmp): a directory of its own").anyMatch(source -> source.contains("systemd-private-")
                && source.contains("maildeck.service"));
    }

    @Test
    @Order(6)
    void theServiceAcceptsSmtpOn25AndDeliversToAMaildirItServesOverImapOn143() throws Exception {
        // the recommended clamd and spamd are not installed here: an admin without them turns them off
        Path filter = root.file("/etc/maildeck/contentfilter.properties");
        Files.writeString(filter, Files.readString(filter).replace("clamd.enabled=true", "clamd.enabled=false")
            .replace("spamd.enabled=true", "spamd.enabled=false"));
        system.run(SHORT, "systemctl", "restart", "maildeck").orFail();
        awaitReadyLines(2);
        admin(null, "domain", "add", "example.test");
        admin(PASSWORD + "\n", "user", "add", USER, "--password-stdin");

        String sent = mailClients.send("bob@elsewhere.example", USER, "delivered-under-systemd").orFail().output();

        assertThat(sent).contains("EHLO 250", "refused {}", "sent");
        // the host's name, although it resolves nowhere: not "localhost"
        assertThat(sent).contains("greeting 220 " + DebianRoot.UNRESOLVED_HOSTNAME + " ESMTP Maildeck");
        assertThat(mailClients.awaitImapCount(USER, PASSWORD, "delivered-under-systemd", 1)).isEqualTo(1);
    }

    @Test
    @Order(7)
    void theRestartedServiceMapsTheClassArchiveOfItsFirstRun() {
        String mapped = system.run(SHORT, "cat", "/proc/" + mainPid() + "/maps").orFail().output();

        assertThat(mapped).contains(classArchive);
    }

    @Test
    @Order(8)
    void theServersOutputIsInTheJournalUnderItsOwnName() throws InterruptedException {
        // the delivery line is written after IMAP can see the mail, and journald stores it some time later
        String lines = awaitJournal(() -> system.run(SHORT, "journalctl", "--identifier=maildeck", "--no-pager", "--output=cat")
            .orFail().output(), text -> text.contains("status=delivered"));

        assertThat(lines).contains(READY).contains("maildeck.mail - ").contains("status=delivered");
    }

    @Test
    @Order(9)
    void aServerKilledWithSigkillIsStartedAgainBySystemd() throws InterruptedException {
        String killed = mainPid();
        int readyBefore = readyLines();

        system.run(SHORT, "systemctl", "kill", "--signal=SIGKILL", "--kill-whom=main", "maildeck").orFail();

        awaitReadyLines(readyBefore + 1);
        assertThat(system.property("maildeck", "NRestarts")).isEqualTo("1");
        assertThat(mainPid()).isNotEqualTo(killed);
        assertThat(mailClients.awaitImapCount(USER, PASSWORD, "delivered-under-systemd", 1)).as("the mail, after the crash").isEqualTo(1);
    }

    @Test
    @Order(10)
    void anUpgradeRestartsTheRunningServiceWithTheNewBuildAndKeepsItEnabled() throws Exception {
        String before = mainPid();
        int readyBefore = readyLines();
        Files.copy(NewerBuild.of(BuiltPackages.deb(), BuiltPackages.TARGET.resolve("roots/systemd-upgrade")), root.file("/var/tmp/maildeck-upgrade.deb"));

        system.run(Duration.ofMinutes(5), "dpkg", "--install", "/var/tmp/maildeck-upgrade.deb").orFail();

        awaitReadyLines(readyBefore + 1);
        assertThat(system.run(SHORT, "dpkg-query", "-W", "-f=${Version}", "maildeck").orFail().output()).endsWith("+upgrade");
        assertThat(mainPid()).isNotEqualTo(before);
        assertThat(system.run(SHORT, "systemctl", "is-enabled", "maildeck").output().trim()).isEqualTo("enabled");
        assertThat(mailClients.awaitImapCount(USER, PASSWORD, "delivered-under-systemd", 1)).as("the mail, after the upgrade").isEqualTo(1);
    }

    @Test
    @Order(11)
    void aServiceTheAdminDisabledStaysDisabledAcrossAnUpgrade() {
        system.run(SHORT, "systemctl", "disable", "maildeck").orFail();

        system.run(Duration.ofMinutes(5), "dpkg", "--install", "/var/tmp/maildeck-upgrade.deb").orFail();

        assertThat(system.run(SHORT, "systemctl", "is-enabled", "maildeck").output().trim()).isEqualTo("disabled");
    }

    @Test
    @Order(12)
    void stopEndsTheServerCleanlyWithinTheUnitsTimeout() throws InterruptedException {
        awaitEveryStartReady();
        long started = System.nanoTime();
        system.run(Duration.ofMinutes(3), "systemctl", "stop", "maildeck").orFail();
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        String timeout = InstalledServer.setting(root.read("/lib/systemd/system/maildeck.service").lines().toList(), "TimeoutStopSec");
        assertThat(took).as("TimeoutStopSec=%s", timeout).isLessThan(Duration.ofSeconds(Long.parseLong(timeout)));
        assertThat(system.property("maildeck", "Result")).isEqualTo("success");
        assertThat(system.property("maildeck", "ActiveState")).isEqualTo("inactive");
        // the server's stdout and systemd's own messages reach the journal independently of systemctl's return
        String last = awaitJournal(() -> tail(journal(), 4), text -> text.contains("Deactivated successfully"));
        assertThat(last).as("the journal's last lines").contains("org.maildeck.server - stopped", "Deactivated successfully");
    }

    @Test
    @Order(13)
    void removingThePackageStopsTheRunningServiceAndKeepsDataAndMail() throws InterruptedException {
        // counted before: with Type=notify, systemctl start returns after the server's ready line
        int readyBefore = readyLines();
        system.run(SHORT, "systemctl", "start", "maildeck").orFail();
        awaitReadyLines(readyBefore + 1);

        system.run(Duration.ofMinutes(3), "dpkg", "--remove", "maildeck").orFail();

        assertThat(system.property("maildeck", "ActiveState")).isEqualTo("inactive");
        assertThat(system.property("maildeck", "MainPID")).isEqualTo("0");
        assertThat(system.run(SHORT, "sh", "-c", "ls /var/mail/vhosts/example.test/alice/Maildir/new /var/mail/vhosts/example.test/alice/Maildir/cur | grep -c ,")
            .output().trim()).isEqualTo("1");
        assertThat(root.file("/var/lib/maildeck")).isDirectory();
    }

    // ---------------------------------------------------------------------------------------

    /** The server's class archive in {@link #INSTALLED_CDS}, once made (its final name carries its size). */
    private Path awaitClassArchive() throws Exception {
        Path cds = root.file(INSTALLED_CDS);
        long deadline = System.nanoTime() + ARCHIVE.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.isDirectory(cds)) {
                try (Stream<Path> files = Files.list(cds)) {
                    Optional<Path> made = files.filter(file -> ARCHIVE_NAME.matcher(file.getFileName().toString()).matches()).findFirst();
                    if (made.isPresent()) {
                        return made.get();
                    }
                }
            }
            Thread.sleep(1000);
        }
        throw new AssertionError("no class archive in " + INSTALLED_CDS + " after " + ARCHIVE);
    }

    private String mainPid() {
        return system.property("maildeck", "MainPID");
    }

    private String processStatus() {
        return system.run(SHORT, "cat", "/proc/" + mainPid() + "/status").orFail().output();
    }

    private String journal() {
        return system.run(SHORT, "journalctl", "--unit=maildeck", "--no-pager", "--output=cat").orFail().output();
    }

    private int readyLines() {
        return (int) journal().lines().filter(line -> line.contains(READY)).count();
    }

    /** Waits until each start systemd logged has the server's ready line (a package script may have restarted it). */
    private void awaitEveryStartReady() throws InterruptedException {
        awaitReadyLines((int) journal().lines().filter(line -> line.startsWith("Started maildeck.service")).count());
    }

    /** Waits until the journal holds {@code count} start-up lines ({@value #READY}), as many starts. */
    private void awaitReadyLines(int count) throws InterruptedException {
        long deadline = System.nanoTime() + START.toNanos();
        while (readyLines() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("fewer than " + count + " starts in " + START + ":\n" + tail(journal(), 40));
            }
            Thread.sleep(500);
        }
    }

    /** Reads {@code journal} until {@code complete} holds (at most {@link #SHORT}), and returns the last reading. */
    private static String awaitJournal(Supplier<String> journal, Predicate<String> complete) throws InterruptedException {
        long deadline = System.nanoTime() + SHORT.toNanos();
        String text = journal.get();
        while (!complete.test(text) && System.nanoTime() < deadline) {
            Thread.sleep(500);
            text = journal.get();
        }
        return text;
    }

    private static String tail(String text, int count) {
        List<String> lines = text.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - count), lines.size()));
    }

    private static String optionsOf(List<String[]> mounts, String mountPoint) {
        return mounts.stream().filter(mount -> mount[4].equals(mountPoint)).reduce((first, last) -> last)
            .map(mount -> mount[5]).orElseThrow(() -> new AssertionError("no mount at " + mountPoint));
    }

    /** The admin command, as root inside the system, next to the server (WebAdmin on loopback). */
    private HostCommand.Result admin(String input, String... arguments) {
        List<String> command = new ArrayList<>(List.of("maildeck"));
        command.addAll(List.of(arguments));
        return system.run(SHORT, input, command).orFail();
    }
}
