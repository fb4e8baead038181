package org.maildeck.installer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The DEB's life in a Debian bookworm root: installed with apt-get (which resolves the Java
 * runtime), the server started as maildeck.service starts it, then upgraded, removed and
 * purged. The tests follow that order; each checks one thing an admin relies on.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DebianPackageIT {

    private static final Duration APT = Duration.ofMinutes(10);
    private static final Duration SHORT = Duration.ofSeconds(60);
    private static final String USER = "alice@example.test";
    private static final String PASSWORD = "Packaged-Pa55";
    private static final String UNIT = "/lib/systemd/system/maildeck.service";
    private static final String ADMIN_EDIT = "<!-- edited by the admin -->";

    private DebianRoot root;
    private NetworkNamespace network;
    private MailClients mailClients;
    private InstalledServer server;
    private String installOutput;

    @BeforeAll
    void installTheDebWithApt() throws IOException {
        root = DebianRoot.freshCopy(BuiltPackages.TARGET.resolve("roots/deb"));
        network = NetworkNamespace.create();
        mailClients = new MailClients(command -> HostCommand.run(SHORT, network.wrap(command)));
        Files.copy(BuiltPackages.deb(), root.file("/tmp/maildeck.deb"));
        // Recommends (clamd, spamd) left out to keep the test short; the Depends are resolved
        installOutput = root.run(APT, "apt-get", "install", "-y", "-q", "--no-install-recommends", "/tmp/maildeck.deb").orFail().output();
        // The class-data archive off, as an admin turns it off (README, "class-data archive"):
        // none of these tests is about it (SystemdServiceIT covers the installed archive), and
        // the dump after the first run's stop (~40 CPU-s) served no start here.
        Files.writeString(root.file("/etc/default/maildeck"), "MAILDECK_CLASS_ARCHIVE=off\n");
    }

    @AfterAll
    void cleanUp() throws InterruptedException {
        if (server != null) {
            server.close();
        }
        if (network != null) {
            network.close();
        }
        if (root != null) {
            root.close();
        }
    }

    @Test
    @Order(1)
    void aptResolvesTheJavaRuntime() {
        assertThat(root.run(SHORT, "java", "-version").orFail().output()).contains("version \"17");
        assertThat(installOutput).contains("openjdk-17-jre-headless");
    }

    @Test
    @Order(2)
    void theServiceUserIsASystemAccountWithoutLogin() {
        String[] passwd = root.run(SHORT, "getent", "passwd", "maildeck").orFail().output().trim().split(":");

        assertThat(Integer.parseInt(passwd[2])).isLessThan(1000);
        assertThat(passwd[5]).isEqualTo("/var/lib/maildeck");
        assertThat(passwd[6]).isEqualTo("/usr/sbin/nologin");
        assertThat(root.run(SHORT, "getent", "group", "maildeck").exitCode()).isZero();
    }

    @Test
    @Order(3)
    void dataAndMailDirectoriesBelongToTheServiceUserAlone() {
        assertThat(root.ownerAndMode("/var/lib/maildeck")).isEqualTo("maildeck:maildeck 750");
        assertThat(root.ownerAndMode("/var/mail/vhosts")).isEqualTo("maildeck:maildeck 750");
    }

    @Test
    @Order(4)
    void everyShippedConfigurationFileIsAConffileWithTheStandardPorts() {
        String conffiles = root.run(SHORT, "dpkg-query", "-W", "-f=${Conffiles}", "maildeck").orFail().output();

        assertThat(conffiles).contains("/etc/maildeck/smtpserver.xml", "/etc/maildeck/imapserver.xml",
            "/etc/maildeck/mailetcontainer.xml", "/etc/maildeck/contentfilter.properties");
        assertThat(root.read("/etc/maildeck/smtpserver.xml")).contains("<bind>0.0.0.0:25</bind>", "<bind>0.0.0.0:587</bind>", "<bind>0.0.0.0:465</bind>");
        assertThat(root.read("/etc/maildeck/imapserver.xml")).contains("<bind>0.0.0.0:143</bind>", "<bind>0.0.0.0:993</bind>");
        assertThat(root.read("/etc/maildeck/jmx.properties")).contains("jmx.address=127.0.0.1");
    }

    @Test
    @Order(5)
    void theCertificateAndTheJmxCredentialsAreGeneratedForTheServiceOnly() {
        assertThat(root.ownerAndMode("/etc/maildeck/keystore")).isEqualTo("root:maildeck 640");
        assertThat(root.ownerAndMode("/etc/maildeck/jmxremote.password")).isEqualTo("maildeck:maildeck 600");
        assertThat(root.ownerAndMode("/etc/maildeck/jmxremote.access")).isEqualTo("maildeck:maildeck 600");
        assertThat(root.read("/etc/maildeck/jmxremote.password")).matches("james-admin [0-9a-f]{24}\n");
        // the key that signs WebAdmin's admin tokens: root and the maildeck group (the admin commands) only
        assertThat(root.ownerAndMode("/etc/maildeck/webadmin-admin.key")).isEqualTo("root:maildeck 640");
        assertThat(root.read("/etc/maildeck/webadmin-admin.key")).startsWith("-----BEGIN PRIVATE KEY-----\n");
        assertThat(root.ownerAndMode("/etc/maildeck/webadmin-admin.pub")).isEqualTo("root:root 644");
    }

    @Test
    @Order(6)
    void theUnitRunsTheServerAsTheServiceUserWithOnlyThePortCapabilityAndAHardenedFilesystemView() {
        List<String> unit = root.read(UNIT).lines().toList();

        assertThat(InstalledServer.setting(unit, "User")).isEqualTo("maildeck");
        assertThat(InstalledServer.setting(unit, "ExecStart")).isEqualTo("/usr/bin/maildeck run");
        assertThat(InstalledServer.setting(unit, "AmbientCapabilities")).isEqualTo("CAP_NET_BIND_SERVICE");
        assertThat(InstalledServer.setting(unit, "CapabilityBoundingSet")).isEqualTo("CAP_NET_BIND_SERVICE");
        assertThat(InstalledServer.setting(unit, "ProtectSystem")).isEqualTo("strict");
        assertThat(InstalledServer.setting(unit, "ReadWritePaths")).isEqualTo("/var/lib/maildeck /var/mail/vhosts");
        assertThat(unit).contains("NoNewPrivileges=true", "PrivateTmp=true", "ProtectHome=true", "Restart=on-failure",
            "WantedBy=multi-user.target");
        assertThat(root.file("/etc/systemd/system/multi-user.target.wants/maildeck.service")).as("enabled").isSymbolicLink();
    }

    @Test
    @Order(7)
    void theServerStartedByTheUnitsCommandAcceptsSmtpOnPort25AndServesImapOn143() throws Exception {
        // as an admin who left out the recommended clamd and spamd (no network signatures here)
        Path filter = root.file("/etc/maildeck/contentfilter.properties");
        Files.writeString(filter, Files.readString(filter).replace("clamd.enabled=true", "clamd.enabled=false")
            .replace("spamd.enabled=true", "spamd.enabled=false"));
        server = InstalledServer.startAsTheUnitDoes(root, network, UNIT, BuiltPackages.TARGET.resolve("roots/deb-server.log"));
        admin(null, "domain", "add", "example.test");
        admin(PASSWORD + "\n", "user", "add", USER, "--password-stdin");

        String sent = mailClients.send("bob@elsewhere.example", USER, "installed-delivery").orFail().output();

        assertThat(sent).contains("EHLO 250", "refused {}", "sent");
        assertThat(mailClients.awaitImapCount(USER, PASSWORD, "installed-delivery", 1)).isEqualTo(1);
        assertThat(root.run(SHORT, "sh", "-c", "ls /var/mail/vhosts/example.test/alice/Maildir/new | wc -l").orFail().output().trim()).isEqualTo("1");
    }

    @Test
    @Order(8)
    void maildeckCheckFindsNothingWrongWithTheRunningInstallation() {
        HostCommand.Result check = HostCommand.run(SHORT, network.wrap(root.inside(List.of("maildeck", "check"))));

        assertThat(check.exitCode()).as(check.toString()).isZero();
        assertThat(check.output()).as(check.toString()).doesNotContain("error:", "warning:");
    }

    @Test
    @Order(9)
    void theClassArchiveFolderStaysTheServicesAfterRootRanAdminCommands() {
        // root's commands (user add, check above) write their own archives there; had the first
        // of them made the folder, it would be root's and the service could never write its own
        assertThat(root.ownerAndMode("/var/lib/maildeck/cds")).isEqualTo("maildeck:maildeck 750");
    }

    @Test
    @Order(10)
    void statusShowsTheStandardPortsAccepting() {
        String status = admin(null, "status").output();

        assertThat(status).startsWith("maildeck: running\n")
            .containsPattern("(?m)^  smtpserver +0\\.0\\.0\\.0:25 +accepting$")
            .containsPattern("(?m)^  imapserver +0\\.0\\.0\\.0:143 +accepting$");
    }

    @Test
    @Order(11)
    void theServerStopsCleanlyOnSigtermWithASuccessStatusForTheUnit() throws Exception {
        int status = server.stop();

        assertThat(String.valueOf(status)).isIn("0", InstalledServer.setting(root.read(UNIT).lines().toList(), "SuccessExitStatus"));
        server = null;
    }

    @Test
    @Order(12)
    void anUpgradeKeepsAnEditedConffileTheSecretsAndTheDeliveredMail() throws Exception {
        Files.writeString(root.file("/etc/maildeck/smtpserver.xml"), ADMIN_EDIT + "\n", java.nio.file.StandardOpenOption.APPEND);
        String keystore = checksum("/etc/maildeck/keystore");
        String jmxPassword = root.read("/etc/maildeck/jmxremote.password");
        String adminKey = root.read("/etc/maildeck/webadmin-admin.key");
        String before = installedVersion();
        Path upgrade = NewerBuild.of(BuiltPackages.deb(), BuiltPackages.TARGET.resolve("roots/upgrade"));
        Files.copy(upgrade, root.file("/tmp/maildeck-upgrade.deb"));

        root.run(APT, "apt-get", "install", "-y", "-q", "--no-install-recommends",
            "-o", "Dpkg::Options::=--force-confdef", "-o", "Dpkg::Options::=--force-confold", "/tmp/maildeck-upgrade.deb").orFail();

        assertThat(installedVersion()).isNotEqualTo(before).startsWith(before);
        assertThat(root.read("/etc/maildeck/smtpserver.xml")).contains(ADMIN_EDIT).doesNotContain(NewerBuild.PACKAGE_EDIT);
        assertThat(root.read("/etc/maildeck/smtpserver.xml.dpkg-dist")).contains(NewerBuild.PACKAGE_EDIT);
        assertThat(checksum("/etc/maildeck/keystore")).isEqualTo(keystore);
        assertThat(root.read("/etc/maildeck/jmxremote.password")).isEqualTo(jmxPassword);
        assertThat(root.read("/etc/maildeck/webadmin-admin.key")).isEqualTo(adminKey);
        server = InstalledServer.startAsTheUnitDoes(root, network, UNIT, BuiltPackages.TARGET.resolve("roots/deb-server-upgraded.log"));
        assertThat(mailClients.awaitImapCount(USER, PASSWORD, "installed-delivery", 1)).as("mail delivered before the upgrade").isEqualTo(1);
        server.stop();
        server = null;
    }

    @Test
    @Order(13)
    void removeKeepsTheConfigurationTheDataTheMailAndTheUser() {
        root.run(APT, "apt-get", "remove", "-y", "-q", "maildeck").orFail();

        assertThat(root.file("/usr/share/maildeck")).doesNotExist();
        assertThat(root.file("/usr/bin/maildeck")).doesNotExist();
        assertThat(root.read("/etc/maildeck/smtpserver.xml")).contains(ADMIN_EDIT);
        assertThat(root.file("/etc/maildeck/keystore")).exists();
        assertThat(root.file("/var/lib/maildeck")).isDirectory();
        assertThat(root.file("/var/mail/vhosts/example.test/alice/Maildir/new")).isNotEmptyDirectory();
        assertThat(root.run(SHORT, "getent", "passwd", "maildeck").exitCode()).isZero();
    }

    @Test
    @Order(14)
    void purgeRemovesTheConfigurationAndTheUserButNeverTheMail() {
        String purge = root.run(APT, "dpkg", "--purge", "maildeck").orFail().output();

        assertThat(root.file("/etc/maildeck")).doesNotExist();
        assertThat(root.run(SHORT, "getent", "passwd", "maildeck").exitCode()).as(purge).isEqualTo(2);
        assertThat(root.run(SHORT, "getent", "group", "maildeck").exitCode()).as(purge).isEqualTo(2);
        assertThat(root.file("/var/mail/vhosts/example.test/alice/Maildir/new")).isNotEmptyDirectory();
        assertThat(purge).contains("kept /var/mail/vhosts");
    }

    /** The admin command, as root in the root, next to the server (WebAdmin on loopback). */
    private HostCommand.Result admin(String input, String... arguments) {
        List<String> command = new java.util.ArrayList<>(List.of("maildeck"));
        command.addAll(List.of(arguments));
        return HostCommand.run(SHORT, network.wrap(root.inside(command)), input).orFail();
    }

    private String installedVersion() {
        return root.run(SHORT, "dpkg-query", "-W", "-f=${Version}", "maildeck").orFail().output().trim();
    }

    private String checksum(String file) {
        return root.run(SHORT, "sha256sum", file).orFail().output();
    }
}
