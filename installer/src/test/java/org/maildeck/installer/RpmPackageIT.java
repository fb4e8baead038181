package org.maildeck.installer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

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
    /**
     * The queries run as an admin's would, with the signing key imported: rpm warns on every query of a
     * package it cannot verify. Without a key given, only the signature's own tests fail.
     */
    private Map<String, String> trustingTheSigningKey = Map.of();

    @BeforeAll
    void scratchRootWithJava() throws IOException {
        if (RpmSigningKey.given().isPresent()) {
            trustingTheSigningKey = RpmSigningKey.trustedIn(Files.createTempDirectory(BuiltPackages.TARGET, "rpm-home"));
        }
        root = DebianRoot.freshCopy(BuiltPackages.TARGET.resolve("roots/rpm"));
        root.run(Duration.ofMinutes(10), "apt-get", "install", "-y", "-q", "--no-install-recommends", "default-jre-headless").orFail();
    }

    @AfterAll
    void cleanUp() {
        if (root != null) {
            root.close();
        }
    }

    private String query(String... arguments) {
        List<String> command = new java.util.ArrayList<>(List.of("rpm", "-qp"));
        command.addAll(List.of(arguments));
        return HostCommand.run(SHORT, trustingTheSigningKey, command).orFail().output();
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
    void rpmVerifiesItsSignatureWithTheKeyItWasSignedWith() {
        RpmSigningKey.publicKey();

        String check = HostCommand.run(SHORT, trustingTheSigningKey, List.of("rpm", "-Kv", rpm)).orFail().output();

        assertThat(check).containsPattern("Header V4 RSA/SHA256 Signature, key ID [0-9a-f]{8}: OK").doesNotContain("NOKEY", "BAD");
    }

    @Test
    @Order(6)
    void withoutThatKeyRpmCannotVerifyIt() throws IOException {
        Map<String, String> untrusting = RpmSigningKey.untrustedIn(Files.createTempDirectory(BuiltPackages.TARGET, "rpm-home"));

        HostCommand.Result check = HostCommand.run(SHORT, untrusting, List.of("rpm", "-Kv", rpm));

        assertThat(check.exitCode()).as(check.output()).isEqualTo(1);
        assertThat(check.output()).containsPattern("Signature, key ID [0-9a-f]{8}: NOKEY");
    }

    /**
     * The release history is kept once, as the DEB's Debian changelog; the RPM carries each entry as
     * rpmbuild would write it: the day its author wrote, the author and version, "- " items.
     */
    @Test
    @Order(7)
    void itsChangelogIsTheDebianChangelog() throws IOException {
        List<String> expected = new java.util.ArrayList<>();
        String version = null;
        List<String> changes = new java.util.ArrayList<>();
        for (String line : Files.readAllLines(Path.of("src/main/package/changelog"))) {
            if (line.matches("^\\S+ \\(.*")) {
                version = line.replaceFirst("^\\S+ \\(([^)]+)\\).*", "$1");
                changes.clear();
            } else if (line.startsWith(" -- ")) {
                String author = line.replaceFirst("^ -- (.+>)  .*", "$1");
                ZonedDateTime date = ZonedDateTime.parse(line.replaceFirst(".*>  ", ""), DateTimeFormatter.RFC_1123_DATE_TIME);
                String day = DateTimeFormatter.ofPattern("EEE MMM dd yyyy", Locale.ENGLISH).format(date);
                expected.add("* " + day + " " + author + " - " + version + (expected.isEmpty() ? "-<release>" : ""));
                expected.addAll(String.join("\n", changes).replaceAll("^\\s*\n|\n\\s*$", "").lines()
                    .map(change -> change.isBlank() ? "" : change.substring(2).replaceFirst("^\\* ", "- ")).toList());
                expected.add("");
            } else {
                changes.add(line);
            }
        }

        List<String> changelog = query("--changelog", rpm).lines().toList();

        assertThat(changelog.get(0)).as("the newest entry names this build's version-release")
            .matches("\\Q" + expected.get(0).replace("<release>", "\\E\\S+\\Q") + "\\E");
        assertThat(changelog.subList(1, changelog.size())).containsExactlyElementsOf(expected.subList(1, expected.size()));
    }

    /** The scratch root's rpm database trusts the signing key, and rpm is told to install only what it can verify. */
    @Test
    @Order(8)
    void installingIntoAScratchRootRunsTheScriptlets() {
        HostCommand.run(SHORT, "rpm", "--root", root.path().toString(), "--initdb").orFail();
        HostCommand.run(SHORT, "rpm", "--root", root.path().toString(), "--import", RpmSigningKey.publicKey().toString()).orFail();

        String install = HostCommand.run(RPM, root.withProc(List.of("rpm", "--root", root.path().toString(),
            "--define", "_pkgverify_level signature", "-i", "--nodeps", rpm))).orFail().output();

        assertThat(HostCommand.run(SHORT, "rpm", "--root", root.path().toString(), "-q", "maildeck").orFail().output()).startsWith("maildeck-0.1.0-");
        assertThat(root.run(SHORT, "getent", "passwd", "maildeck").orFail().output()).contains(":/var/lib/maildeck:/usr/sbin/nologin");
        assertThat(root.ownerAndMode("/var/lib/maildeck")).isEqualTo("maildeck:maildeck 750");
        assertThat(root.ownerAndMode("/var/mail/vhosts")).isEqualTo("maildeck:maildeck 750");
        assertThat(root.ownerAndMode("/var/lib/maildeck/cds")).isEqualTo("maildeck:maildeck 750");
        assertThat(root.ownerAndMode("/etc/maildeck/keystore")).isEqualTo("root:maildeck 640");
        assertThat(root.ownerAndMode("/etc/maildeck/jmxremote.password")).isEqualTo("maildeck:maildeck 600");
        assertThat(root.ownerAndMode("/etc/maildeck/webadmin-admin.key")).isEqualTo("root:maildeck 640");
        assertThat(root.ownerAndMode("/etc/maildeck/webadmin-admin.pub")).isEqualTo("root:root 644");
        assertThat(install).contains("generated a self-signed certificate", "generated JMX credentials", "generated the WebAdmin admin key");
    }

    @Test
    @Order(9)
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
