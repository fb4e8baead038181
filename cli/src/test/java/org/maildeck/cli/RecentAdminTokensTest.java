package org.maildeck.cli;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.maildeck.adminaccess.AdminToken;

class RecentAdminTokensTest {

    private static final byte[] KEY_FILE = "-----BEGIN PRIVATE KEY-----\nfirst\n-----END PRIVATE KEY-----\n".getBytes(US_ASCII);
    private static final byte[] OTHER_KEY_FILE = "-----BEGIN PRIVATE KEY-----\nsecond\n-----END PRIVATE KEY-----\n".getBytes(US_ASCII);
    private static final Instant NOW = Instant.parse("2026-12-07T21:00:00Z");

    private static PrivateKey key;

    @TempDir
    Path home;

    @BeforeAll
    static void aSigningKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        key = generator.generateKeyPair().getPrivate();
    }

    @Test
    void aTokenKeptIsFoundByTheNextCommandOfTheSameKeyAndAdmin() {
        RecentAdminTokens recent = new RecentAdminTokens(home.resolve("maildeck"));
        String token = AdminToken.sign(key, "alice", NOW);

        recent.keep(KEY_FILE, "alice", token, NOW);

        assertThat(recent.find(KEY_FILE, "alice", NOW.plusSeconds(30))).contains(token);
    }

    @Test
    void aTokenOfAnotherKeyOrAnotherAdminIsNotReused() {
        RecentAdminTokens recent = new RecentAdminTokens(home.resolve("maildeck"));
        recent.keep(KEY_FILE, "alice", AdminToken.sign(key, "alice", NOW), NOW);

        assertThat(recent.find(OTHER_KEY_FILE, "alice", NOW)).isEmpty();
        assertThat(recent.find(KEY_FILE, "alice (via sudo as root)", NOW)).isEmpty();
    }

    @Test
    void aTokenWithLessThanTwoMinutesLeftIsNotReused() {
        RecentAdminTokens recent = new RecentAdminTokens(home.resolve("maildeck"));
        recent.keep(KEY_FILE, "alice", AdminToken.sign(key, "alice", NOW), NOW);

        Instant lessThanTwoMinutesLeft = NOW.plus(AdminToken.LIFETIME).minus(RecentAdminTokens.LEFT_AT_LEAST).plusSeconds(1);
        assertThat(recent.find(KEY_FILE, "alice", lessThanTwoMinutesLeft)).isEmpty();
    }

    @Test
    void aTokenExpiringLaterThanItsLifetimeFromNowIsNotReused() {
        String postDated = AdminToken.sign(key, "alice", NOW.plus(Duration.ofHours(1)));

        assertThat(RecentAdminTokens.stillValid(postDated, NOW)).isFalse();
    }

    @Test
    void tokensAreKeptInAFolderAndFilesOnlyTheirOwnerMayRead() throws Exception {
        Path folder = home.resolve("maildeck");
        new RecentAdminTokens(folder).keep(KEY_FILE, "alice", AdminToken.sign(key, "alice", NOW), NOW);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder))).isEqualTo("rwx------");
        try (Stream<Path> files = Files.list(folder)) {
            assertThat(files.map(file -> {
                try {
                    return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            })).containsExactly("rw-------");
        }
    }

    @Test
    void aFolderOthersMayEnterIsNotUsed() throws Exception {
        Path folder = home.resolve("maildeck");
        RecentAdminTokens recent = new RecentAdminTokens(folder);
        String token = AdminToken.sign(key, "alice", NOW);
        recent.keep(KEY_FILE, "alice", token, NOW);

        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-x---"));

        assertThat(recent.find(KEY_FILE, "alice", NOW)).isEmpty();
    }
}
