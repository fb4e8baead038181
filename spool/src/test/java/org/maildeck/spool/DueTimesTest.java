package org.maildeck.spool;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DueTimesTest {

    private static final long LONGEST = DueTimes.LONGEST_WAIT.toMillis();

    private final DueTimes dueTimes = new DueTimes();

    @Test
    void theFirstDequeueSweeps() {
        assertThat(dueTimes.sweepNeeded(1_000)).isTrue();
    }

    @Test
    void afterAnEmptySweepTheNextIsDueTheLongestWaitLater() {
        dueTimes.sweptEmpty(1_000);

        assertThat(dueTimes.sweepNeeded(1_000 + LONGEST - 1)).isFalse();
        assertThat(dueTimes.sweepNeeded(1_000 + LONGEST)).isTrue();
    }

    @Test
    void aKnownDueTimeThatHasPassedNeedsASweep() {
        dueTimes.sweptEmpty(1_000);
        dueTimes.add(1_100);

        assertThat(dueTimes.sweepNeeded(1_099)).isFalse();
        assertThat(dueTimes.sweepNeeded(1_100)).isTrue();
    }

    @Test
    void anEmptySweepForgetsTheDueTimesItCovered() {
        dueTimes.add(900);
        dueTimes.add(1_000);
        dueTimes.add(1_200);

        dueTimes.sweptEmpty(1_000);

        assertThat(dueTimes.sweepNeeded(1_100)).isFalse();
        assertThat(dueTimes.waitMillis(1_100)).isEqualTo(100);
    }

    @Test
    void theWaitEndsWhenTheNextDelayedMailFallsDue() {
        dueTimes.sweptEmpty(1_000);
        dueTimes.add(1_300);
        dueTimes.add(1_200);

        assertThat(dueTimes.waitMillis(1_000)).isEqualTo(200);
    }

    @Test
    void withNothingDelayedTheWaitEndsAtTheNextSweep() {
        dueTimes.sweptEmpty(1_000);

        assertThat(dueTimes.waitMillis(1_100)).isEqualTo(LONGEST - 100);
    }

    @Test
    void aDueTimeFarAwayWaitsNoLongerThanTheNextSweep() {
        dueTimes.sweptEmpty(1_000);
        dueTimes.add(3_600_000);

        assertThat(dueTimes.waitMillis(1_000)).isEqualTo(LONGEST);
    }
}
