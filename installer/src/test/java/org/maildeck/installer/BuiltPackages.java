package org.maildeck.installer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The DEB and RPM this module's package phase wrote into target/. */
final class BuiltPackages {

    static final Path TARGET = Path.of(System.getProperty("maildeck.target", "target")).toAbsolutePath();

    private BuiltPackages() {
    }

    static Path deb() {
        return only("maildeck_", ".deb");
    }

    static Path rpm() {
        return only("maildeck-", ".noarch.rpm");
    }

    private static Path only(String prefix, String suffix) {
        try (Stream<Path> files = Files.list(TARGET)) {
            List<Path> found = files.filter(file -> file.getFileName().toString().startsWith(prefix)
                && file.getFileName().toString().endsWith(suffix)).toList();
            if (found.size() != 1) {
                throw new AssertionError("expected one " + prefix + "*" + suffix + " in " + TARGET + ", found " + found);
            }
            return found.get(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path mailClients() {
        return TARGET.resolve("test-classes/mail_clients.py");
    }
}
