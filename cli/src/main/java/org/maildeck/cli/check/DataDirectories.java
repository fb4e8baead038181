package org.maildeck.cli.check;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The data directory (database, queue, quarantine) and the mail root (or, before the server
 * made them, the folder they will be made in) belong to the
 * user the server runs as: {@code maildeck} when installed (the command is then run by root),
 * else the user running the command.
 */
final class DataDirectories {

    private DataDirectories() {
    }

    static List<Finding> check(List<Path> directories, Optional<String> serviceUser) {
        List<Finding> findings = new ArrayList<>();
        for (Path given : directories) {
            // not there yet: the server makes it (the mail root on first delivery) in the nearest existing parent
            Path directory = given.toAbsolutePath();
            while (!Files.isDirectory(directory) && directory.getParent() != null) {
                directory = directory.getParent();
            }
            if (serviceUser.isPresent()) {
                try {
                    PosixFileAttributes attributes = Files.readAttributes(directory, PosixFileAttributes.class);
                    if (!attributes.owner().getName().equals(serviceUser.get())) {
                        findings.add(Finding.error(directory, 0, "owned by " + attributes.owner().getName()
                            + ", not by the service user " + serviceUser.get() + ": the server cannot write there"));
                    }
                } catch (IOException e) {
                    findings.add(Finding.error(directory, 0, "unreadable: " + e.getMessage()));
                }
            } else if (!Files.isWritable(directory)) {
                findings.add(Finding.error(directory, 0, "not writable by " + System.getProperty("user.name")));
            }
        }
        return findings;
    }
}
