package org.maildeck.cli.check;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Everything {@code maildeck check} looks at, in the order it reports it. */
public final class InstallationCheck {

    private InstallationCheck() {
    }

    /**
     * @param directories  the data directory and the mail root
     * @param serviceUser  the user the server runs as when it is not the one running the check
     */
    public static List<Finding> run(Path conf, List<Path> directories, Optional<String> serviceUser, boolean serverRunning, Instant now) {
        List<Finding> findings = new ArrayList<>(ConfigurationFiles.check(conf));
        findings.addAll(MailetClasses.check(conf));
        findings.addAll(RemoteDeliveryLogging.check(conf));
        findings.addAll(ServerNameSettings.check(conf));
        findings.addAll(ListenerPorts.check(conf, serverRunning));
        findings.addAll(Certificate.check(conf, now));
        findings.addAll(DataDirectories.check(directories, serviceUser));
        findings.addAll(Scanners.check(conf));
        return findings;
    }
}
