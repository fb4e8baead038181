package org.maildeck.mailauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DkimKeyFileTest {

    @TempDir
    Path conf;

    @Test
    void aGeneratedKeyIsReadBackWithItsDomainAndSelector() throws Exception {
        DkimKeyFile written = DkimKeyFile.generate(DkimKeyFile.directory(conf), "Example.ORG", "mail2026", 1024);

        DkimKeyFile read = DkimKeyFile.read(conf.resolve("dkim/example.org.mail2026.key"));

        assertThat(read.domain()).isEqualTo("example.org");
        assertThat(read.selector()).isEqualTo("mail2026");
        assertThat(read.publicKeyBase64()).isEqualTo(written.publicKeyBase64());
        assertThat(read.bits()).isEqualTo(1024);
    }

    @Test
    void theKeyFileIsReadableByItsOwnerOnly() throws Exception {
        DkimKeyFile.generate(DkimKeyFile.directory(conf), "example.org", "mail", 1024);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(conf.resolve("dkim/example.org.mail.key"))))
            .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(conf.resolve("dkim")))).isEqualTo("rwxr-x---");
    }

    @Test
    void anExistingKeyIsNeverReplaced() throws Exception {
        DkimKeyFile first = DkimKeyFile.generate(DkimKeyFile.directory(conf), "example.org", "mail", 1024);

        assertThatThrownBy(() -> DkimKeyFile.generate(DkimKeyFile.directory(conf), "example.org", "mail", 1024))
            .isInstanceOf(FileAlreadyExistsException.class);
        assertThat(DkimKeyFile.read(conf.resolve("dkim/example.org.mail.key")).publicKeyBase64()).isEqualTo(first.publicKeyBase64());
        try (var files = Files.list(conf.resolve("dkim"))) {
            assertThat(files).as("no temporary file left").hasSize(1);
        }
    }

    @Test
    void keySizesOutsideTheLimitsAreRefused() {
        assertThatThrownBy(() -> DkimKeyFile.generate(conf, "example.org", "mail", 512)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DkimKeyFile.generate(conf, "example.org", "mail", 8192)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aSelectorIsOneLowerCaseDnsLabel() {
        assertThat(DkimKeyFile.isValidSelector("mail-2026")).isTrue();
        assertThat(DkimKeyFile.isValidSelector("a.b")).isFalse();
        assertThat(DkimKeyFile.isValidSelector("-mail")).isFalse();
        assertThat(DkimKeyFile.isValidSelector("Mail")).isFalse();
        assertThat(DkimKeyFile.isValidSelector("")).isFalse();
        assertThat(DkimKeyFile.isValidSelector("x".repeat(64))).isFalse();
    }

    @Test
    void theRecordIsTheDkim1TextOfThePublicKey() throws Exception {
        DkimKeyFile key = DkimKeyFile.generate(conf, "example.org", "mail", 1024);

        assertThat(key.recordName()).isEqualTo("mail._domainkey.example.org");
        assertThat(key.recordText()).isEqualTo("v=DKIM1; k=rsa; p=" + key.publicKeyBase64());
    }
}
