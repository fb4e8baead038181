package org.maildeck.mailauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.maildeck.testsupport.ManualClock;

class DkimKeyRingTest {

    @TempDir
    Path conf;
    private final ManualClock clock = new ManualClock(Instant.parse("2026-12-07T00:00:00Z"));

    private Path directory() {
        return DkimKeyFile.directory(conf);
    }

    @Test
    void aDomainWithoutKeyHasNone() {
        DkimKeyRing ring = new DkimKeyRing(directory(), Duration.ofSeconds(10), clock);

        assertThat(ring.forDomain("example.org")).isEmpty();
    }

    @Test
    void aKeyAddedLaterIsFoundOnceTheRecheckIntervalPassed() throws Exception {
        DkimKeyRing ring = new DkimKeyRing(directory(), Duration.ofSeconds(10), clock);
        DkimKeyFile.generate(directory(), "example.org", "mail", 1024);

        assertThat(ring.forDomain("example.org")).as("not looked at yet").isEmpty();
        clock.advance(Duration.ofSeconds(10));
        assertThat(ring.forDomain("EXAMPLE.org")).map(DkimKeyFile::selector).contains("mail");
    }

    @Test
    void aRemovedKeyStopsSigning() throws Exception {
        DkimKeyFile.generate(directory(), "example.org", "mail", 1024);
        DkimKeyRing ring = new DkimKeyRing(directory(), Duration.ofSeconds(10), clock);

        Files.delete(directory().resolve("example.org.mail.key"));
        clock.advance(Duration.ofSeconds(11));

        assertThat(ring.forDomain("example.org")).isEmpty();
    }

    @Test
    void theNewestOfADomainsKeysSigns() throws Exception {
        DkimKeyFile.generate(directory(), "example.org", "old", 1024);
        Files.setLastModifiedTime(directory().resolve("example.org.old.key"), FileTime.from(Instant.now().minusSeconds(3600)));
        DkimKeyFile.generate(directory(), "example.org", "new", 1024);

        DkimKeyRing ring = new DkimKeyRing(directory(), Duration.ofSeconds(10), clock);

        assertThat(ring.forDomain("example.org")).map(DkimKeyFile::selector).contains("new");
    }

    @Test
    void anUnreadableFileIsSkippedAndTheOthersSign() throws Exception {
        Files.createDirectories(directory());
        Files.writeString(directory().resolve("broken.example.mail.key"), "not a key");
        DkimKeyFile.generate(directory(), "example.org", "mail", 1024);

        DkimKeyRing ring = new DkimKeyRing(directory(), Duration.ofSeconds(10), clock);

        assertThat(ring.size()).isEqualTo(1);
        assertThat(ring.forDomain("example.org")).isPresent();
    }
}
