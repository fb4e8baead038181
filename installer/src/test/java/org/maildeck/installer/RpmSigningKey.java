package org.maildeck.installer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The public half of the OpenPGP key the build signed the RPM with, given to the tests as
 * {@code maildeck.rpm.signing.publicKey} (scripts/test makes a throwaway key and passes both halves),
 * and rpm databases that trust it.
 */
final class RpmSigningKey {

    private static final Duration RPM = Duration.ofSeconds(60);

    private RpmSigningKey() {
    }

    /** The key's public half, if the tests were given one. */
    static Optional<Path> given() {
        String file = System.getProperty("maildeck.rpm.signing.publicKey", "");
        return file.isBlank() || file.startsWith("${") ? Optional.empty() : Optional.of(Path.of(file));
    }

    static Path publicKey() {
        return given().orElseThrow(() -> new AssertionError("no signing key given: build the RPM with -Dmaildeck.rpm.signing.keyring=..."
                + " (installer/pom.xml, profile rpm-signing) and give the tests its public key with"
                + " -Dmaildeck.rpm.signing.publicKey=...; scripts/test does both with a throwaway key"));
    }

    /**
     * The environment of an rpm (or rpmlint) run whose rpm database, in {@code home}, holds the key
     * and nothing else: rpm reads its database path from ~/.rpmmacros.
     */
    static Map<String, String> trustedIn(Path home) {
        Map<String, String> environment = untrustedIn(home);
        HostCommand.run(RPM, environment, List.of("rpm", "--import", publicKey().toString())).orFail();
        return environment;
    }

    /** The environment of an rpm run whose rpm database, in {@code home}, holds no key at all. */
    static Map<String, String> untrustedIn(Path home) {
        try {
            Files.createDirectories(home);
            Files.writeString(home.resolve(".rpmmacros"), "%_dbpath " + home.resolve("rpmdb") + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> environment = Map.of("HOME", home.toString());
        HostCommand.run(RPM, environment, List.of("rpm", "--initdb")).orFail();
        return environment;
    }
}
