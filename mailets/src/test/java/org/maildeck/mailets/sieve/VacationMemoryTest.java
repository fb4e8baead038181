package org.maildeck.mailets.sieve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.maildeck.durability.Durability;
import org.maildeck.testsupport.ManualClock;

class VacationMemoryTest {

    private static final Duration WEEK = Duration.ofDays(7);

    @TempDir
    Path home;
    private final ManualClock clock = new ManualClock(Instant.parse("2026-12-07T08:00:00Z"));
    private final VacationMemory memory = new VacationMemory(Durability.UNWATCHED, clock);

    @Test
    void aSenderIsAnsweredOncePerPeriod() throws Exception {
        assertThat(memory.firstReplyWithin(home, "bob@remote.example", "h", WEEK)).isTrue();
        clock.advance(Duration.ofDays(6));

        assertThat(memory.firstReplyWithin(home, "Bob@Remote.example", "h", WEEK)).isFalse();
    }

    @Test
    void afterThePeriodTheSenderIsAnsweredAgain() throws Exception {
        memory.firstReplyWithin(home, "bob@remote.example", "h", WEEK);
        clock.advance(WEEK.plusSeconds(1));

        assertThat(memory.firstReplyWithin(home, "bob@remote.example", "h", WEEK)).isTrue();
    }

    @Test
    void anotherSenderOrAnotherHandleIsAnswered() throws Exception {
        memory.firstReplyWithin(home, "bob@remote.example", "h", WEEK);

        assertThat(memory.firstReplyWithin(home, "carol@remote.example", "h", WEEK)).isTrue();
        assertThat(memory.firstReplyWithin(home, "bob@remote.example", "other", WEEK)).isTrue();
    }

    @Test
    void aReplyIsRememberedByTheNextServerProcess() throws Exception {
        memory.firstReplyWithin(home, "bob@remote.example", "h", WEEK);

        VacationMemory afterRestart = new VacationMemory(Durability.UNWATCHED, clock);
        assertThat(afterRestart.firstReplyWithin(home, "bob@remote.example", "h", WEEK)).isFalse();
    }

    @Test
    void theFileNamesNoCorrespondent() throws Exception {
        memory.firstReplyWithin(home, "bob@remote.example", "h", WEEK);

        assertThat(Files.readString(home.resolve(VacationMemory.FILE))).doesNotContain("bob").matches("\\d+ [0-9a-f]{64}\n");
    }

    @Test
    void expiredRepliesAreDroppedWhenTheyAreMostOfTheFile() throws Exception {
        for (int i = 0; i < 250; i++) {
            memory.firstReplyWithin(home, "sender" + i + "@remote.example", "h", Duration.ofDays(1));
        }
        clock.advance(Duration.ofDays(2));
        memory.firstReplyWithin(home, "late@remote.example", "h", WEEK);

        assertThat(Files.readAllLines(home.resolve(VacationMemory.FILE))).hasSize(1);
        assertThat(memory.firstReplyWithin(home, "late@remote.example", "h", WEEK)).isFalse();
    }

    @Test
    void aMemoryFileThatIsASymlinkIsNotFollowed() throws Exception {
        Path elsewhere = Files.writeString(Files.createTempFile("outside", ".txt"), "");
        Files.createSymbolicLink(home.resolve(VacationMemory.FILE), elsewhere);

        assertThatThrownBy(() -> memory.firstReplyWithin(home, "bob@remote.example", "h", WEEK)).isInstanceOf(IOException.class);
        assertThat(Files.readString(elsewhere)).isEmpty();
    }
}
