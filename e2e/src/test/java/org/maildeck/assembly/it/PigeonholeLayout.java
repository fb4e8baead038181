package org.maildeck.assembly.it;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A user's Sieve scripts as Dovecot Pigeonhole writes them for
 * {@code sieve = file:~/sieve;active=~/.dovecot.sieve}: {@code <home>/sieve/NAME.sieve}, and the
 * active one named by the symlink {@code <home>/.dovecot.sieve -> sieve/NAME.sieve}.
 */
final class PigeonholeLayout {

    static final String ACTIVE = ".dovecot.sieve";

    private PigeonholeLayout() {
    }

    /** Stores {@code script} as {@code NAME.sieve} in {@code home} and makes it the active one. */
    static void activate(Path home, String name, String script) throws IOException {
        Path scripts = Files.createDirectories(home.resolve("sieve"));
        Files.writeString(scripts.resolve(name + ".sieve"), script, UTF_8);
        Path active = home.resolve(ACTIVE);
        Files.deleteIfExists(active);
        Files.createSymbolicLink(active, Path.of("sieve", name + ".sieve"));
    }
}
