package org.maildeck.installer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
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
 * The RPM, read with Debian's rpm tool, then installed into and erased from a scratch root
 * whose scriptlets run for real. The root is a Debian one with the Java runtime (for the
 * certificate) and no RPM database of its dependencies, hence {@code --nodeps}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RpmPackageIT {

    private static final Duration RPM = Duration.ofMinutes(5);
    private static final Duration SHORT = Duration.ofSeconds(60);

    private final String rpm = BuiltPackages.rpm().toString();
    private DebianRoot root;

    @BeforeAll
    void scratchRootWithJava() throws IOException {
        root = DebianRoot.freshCopy(BuiltPackages.TARGET.resolve("roots/rpm"));
        root.run(Duration.ofMinutes(10), "apt-get", "install", "-y", "-q", "--no-install-recommends", "default-jre-headless").orFail();
    }

    @AfterAll
    void cleanUp() {
        if (root != null) {
            root.close();
        }
    }

    private static String query(String... arguments) {
        List<String> command = new java.util.ArrayList<>(List.of("rpm", "-qp"));
        command.addAll(List.of(arguments));
        return HostCommand.run(SHORT, command).orFail().output();
    }

    @Test
    @Order(1)
    void itHoldsTheFhsLayout() {
        List<String> files = query("--list", rpm).lines().toList();

        assertThat(files).contains("/usr/bin/maildeck", "/usr/share/maildeck/bin/maildeck", "/usr/share/maildeck/bin/maildeck-setup",
            "/etc/maildeck/smtpserver.xml", "/etc/maildeck/mailetcontainer.xml", "/usr/lib/systemd/system/maildeck.service",
            "/usr/share/man/man8/maildeck.8.gz");
        assertThat(files).anyMatch(file -> file.matches("/usr/share/maildeck/lib/maildeck-assembly-.*\\.jar"));
        assertThat(files).anyMatch(file -> file.matches("/usr/share/maildeck/lib/james-server-.*\\.jar"));
    }

    @Test
    @Order(2)
    void everyConfigurationFileIsConfigNoreplace() {
        List<String> etc = query("--qf", "[%{FILEFLAGS:fflags} %{FILENAMES}\\n]", rpm).lines()
            .filter(line -> line.contains(" /etc/maildeck/")).toList();

        assertThat(etc).hasSizeGreaterThan(15).allMatch(line -> line.startsWith("cn "), "flagged cn (%config(noreplace))");
    }

    @Test
    @Order(3)
    void itRequiresJava17AndRecommendsTheScanners() {
        assertThat(query("--requires", rpm).lines()).contains("java-headless >= 1:17", "systemd", "shadow-utils");
        assertThat(query("--recommends", rpm).lines()).contains("clamd", "spamassassin");
    }

    @Test
    @Order(4)
    void itsScriptletsRunTheSharedSetupAndManageTheService() {
        String scripts = query("--scripts", rpm);

        assertThat(scripts).contains("postinstall scriptlet", "/usr/share/maildeck/bin/maildeck-setup",
            "preuninstall scriptlet", "systemctl disable --now maildeck.service", "postuninstall scriptlet");
    }

    @Test
    @Order(5)
    void installingIntoAScratchRootRunsTheScriptlets() {
        HostCommand.run(SHORT, "rpm", "--root", root.path().toString(), "--initdb").orFail();

        String install = HostCommand.run(RPM, root.withProc(List.of("rpm", "--root", root.path().toString(), "-i", "--nodeps", rpm))).orFail().output();

        assertThat(HostCommand.run(SHORT, "rpm", "--root", root.path().toString(), "-q", "maildeck").orFail().output()).startsWith("maildeck-0.1.0-");
        assertThat(root.run(SHORT, "getent", "passwd", "maildeck").orFail().output()).contains(":/var/lib/maildeck:/usr/sbin/nologin");
        assertThat(root.ownerAndMode("/var/lib/maildeck")).isEqualTo("maildeck:maildeck 750");
        assertThat(root.ownerAndMode("/var/mail/vhosts")).isEqualTo("maildeck:maildeck 750");
        assertThat(root.ownerAndMode("/etc/maildeck/keystore")).isEqualTo("root:maildeck 640");
        assertThat(root.ownerAndMode("/etc/maildeck/jmxremote.password")).isEqualTo("maildeck:maildeck 600");
        assertThat(install).contains("generated a self-signed certificate", "generated JMX credentials");
    }

    @Test
    @Order(6)
    void erasingKeepsTheDataAndTheMail() throws IOException {
        Files.createDirectories(root.file("/var/mail/vhosts/example.test/alice/Maildir/new"));
        Files.writeString(root.file("/var/mail/vhosts/example.test/alice/Maildir/new/1.test"), "Subject: kept\r\n\r\nkept\r\n");

        String erase = HostCommand.run(RPM, root.withProc(List.of("rpm", "--root", root.path().toString(), "-e", "--nodeps", "maildeck"))).orFail().output();

        assertThat(root.file("/usr/share/maildeck")).doesNotExist();
        assertThat(root.file("/usr/bin/maildeck")).doesNotExist();
        assertThat(root.file("/var/mail/vhosts/example.test/alice/Maildir/new/1.test")).exists();
        assertThat(root.file("/var/lib/maildeck")).isDirectory();
        assertThat(erase).contains("kept /var/mail/vhosts");
    }
}
