package org.maildeck.cli;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import org.maildeck.cli.check.Finding;
import org.maildeck.cli.check.InstallationCheck;

import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/**
 * {@code maildeck check}, like {@code postfix check}: the configuration files parse and name
 * classes the server has, the listener ports are free (or the server's own), the TLS
 * certificate opens and has not expired, the data and mail directories belong to the service
 * user, and the scanners answer. One {@code error:} or {@code warning:} line per problem, with
 * file and line where there is one; silent when all is well; exit status 1 on any error.
 */
@Command(name = "check", description = "Validate the installation: configuration, classes, ports, certificate, directories, scanners.")
final class CheckCommand implements Callable<Integer> {

    @ParentCommand
    private MaildeckAdmin admin;

    @Override
    public Integer call() {
        List<Path> directories = Stream.of("MAILDECK_DATA", "MAILDECK_MAIL")
            .map(System::getenv).filter(value -> value != null && !value.isBlank()).map(Path::of).toList();
        Optional<String> serviceUser = Optional.ofNullable(System.getenv("MAILDECK_SERVICE_USER")).filter(user -> !user.isBlank());
        List<Finding> findings = InstallationCheck.run(admin.conf(), directories, serviceUser, serverAnswers(), Instant.now());
        findings.forEach(System.out::println);
        return findings.stream().anyMatch(Finding::error) ? AdminFailure.REFUSED : 0;
    }

    private boolean serverAnswers() {
        try {
            return admin.webAdmin().answers();
        } catch (AdminFailure unusableWebAdminSettings) {
            return false;
        }
    }
}
