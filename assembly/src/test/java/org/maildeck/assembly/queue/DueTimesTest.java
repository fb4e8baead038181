package org.maildeck.assembly.queue;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DueTimesTest {

    private final DueTimes dueTimes = new DueTimes();

    @Test
    void withNothingDelayedTheWaitIsTheLongest() {
        assertThat(dueTimes.waitMillis(1_000)).isEqualTo(DueTimes.LONGEST_WAIT.toMillis());
    }

    @Test
    void theWaitEndsWhenTheNextDelayedMailFallsDue() {
        dueTimes.add(1_300);
        dueTimes.add(1_200);

        assertThat(dueTimes.waitMillis(1_000)).isEqualTo(200);
    }

    @Test
    void dueTimesAlreadyPassedAreForgotten() {
        dueTimes.add(900);
        dueTimes.add(1_000);
        dueTimes.add(1_100);

        assertThat(dueTimes.waitMillis(1_000)).isEqualTo(100);
        assertThat(dueTimes.waitMillis(1_100)).isEqualTo(DueTimes.LONGEST_WAIT.toMillis());
    }

    @Test
    void aDueTimeFarAwayWaitsNoLongerThanTheLongest() {
        dueTimes.add(3_600_000);

        assertThat(dueTimes.waitMillis(1_000)).isEqualTo(DueTimes.LONGEST_WAIT.toMillis());
    }
}
