package org.maildeck.installer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/**
 * lintian on the DEB and rpmlint on the RPM (Debian's packages of both): no errors, and every
 * warning one of those kept below for the reason given. A new warning fails the test until it
 * is fixed or added here with its reason.
 */
class PackageLintIT {

    private static final Duration LINT = Duration.ofMinutes(5);

    private static final Map<String, String> KEPT_LINTIAN_WARNINGS = Map.of(
        "codeless-jar", "third-party jars as published on Maven Central that hold only native libraries or metadata"
            + " (Netty's epoll, QUIC and macOS DNS jars, Guava's empty listenablefuture, james-server-guice-netty)");

    private static final Map<String, String> KEPT_RPMLINT_WARNINGS = Map.of(
        "jar-not-indexed", "third-party jars as published on Maven Central",
        "class-path-in-manifest", "third-party jars as published on Maven Central",
        "only-non-binary-in-usr-lib", "/usr/lib/systemd/system/maildeck.service is where RPM systems keep units",
        "no-url-tag", "the RPM builder has no URL field",
        "no-manual-page-for-binary", "maildeck(8) is in section 8, an admin command; rpmlint looks in section 1",
        "manpage-not-compressed", "gzip (-9), as Fedora and RHEL compress man pages; rpmlint's default expects bz2",
        "invalid-license", "Apache-2.0 is the SPDX name Fedora now asks for; rpmlint 2.4 knows only the old 'ASL 2.0'");

    @Test
    void lintianFindsNoErrorAndOnlyTheKeptWarningsInTheDeb() {
        String report = HostCommand.run(LINT, "lintian", "--tag-display-limit", "0", BuiltPackages.deb().toString()).output();

        assertThat(tags(report, "E")).as(report).isEmpty();
        assertThat(tags(report, "W")).as(report).isSubsetOf(KEPT_LINTIAN_WARNINGS.keySet());
    }

    /** rpmlint checks the signature against the rpm database: one that trusts the key the build signed with. */
    @Test
    void rpmlintFindsNoErrorAndOnlyTheKeptWarningsInTheRpm() throws IOException {
        Map<String, String> trustingTheSigningKey = RpmSigningKey.trustedIn(Files.createTempDirectory(BuiltPackages.TARGET, "rpmlint-home"));

        String report = HostCommand.run(LINT, trustingTheSigningKey, List.of("rpmlint", BuiltPackages.rpm().toString())).output();

        assertThat(tags(report, "E")).as(report).isEmpty();
        assertThat(tags(report, "W")).as(report).isSubsetOf(KEPT_RPMLINT_WARNINGS.keySet());
        assertThat(report).as("rpmlint ran its checks").containsPattern("1 packages and 0 specfiles checked");
    }

    /** The tags of one severity: lintian writes {@code "E: <package>: <tag> ..."}, rpmlint {@code "<package>: E: <tag> ..."}. */
    private static Set<String> tags(String report, String severity) {
        Matcher matcher = Pattern.compile("(?m)^(?:\\S+: )?" + severity + ": (?:[^\\s:]+: )?(\\S+)").matcher(report);
        return matcher.results().map(result -> result.group(1)).collect(Collectors.toSet());
    }
}
