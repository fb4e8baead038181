package org.maildeck.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.maildeck.testsupport.ManualClock;

class CounterHistoryTest {

    /** A clock the test moves by hand. */

    private final ManualClock clock = new ManualClock(Instant.parse("2026-11-21T12:00:00Z"));
    private final AtomicLong delivered = new AtomicLong(100);
    private final CounterHistory history = new CounterHistory(Map.of("delivered", delivered::get), Duration.ofMinutes(1), clock);

    /** Samples every five seconds for {@code duration}, adding {@code perSample} to the counter before each. */
    private void run(Duration duration, long perSample) {
        for (long elapsed = 0; elapsed < duration.toSeconds(); elapsed += 5) {
            clock.advance(Duration.ofSeconds(5));
            delivered.addAndGet(perSample);
            history.sample();
        }
    }

    @Test
    void aYoungServerCountsSinceItsStart() {
        run(Duration.ofSeconds(20), 2);

        assertThat(history.withinSpan("delivered")).isEqualTo(8);
    }

    @Test
    void onlyTheLastMinuteCounts() {
        run(Duration.ofMinutes(5), 10);
        run(Duration.ofMinutes(1), 1);

        assertThat(history.withinSpan("delivered")).isEqualTo(12);
    }

    @Test
    void growthSinceTheLastSampleCountsAtOnce() {
        run(Duration.ofMinutes(2), 0);

        delivered.addAndGet(3);

        assertThat(history.withinSpan("delivered")).isEqualTo(3);
    }

    @Test
    void aQuietMinuteCountsNothing() {
        run(Duration.ofMinutes(2), 7);
        run(Duration.ofSeconds(65), 0);

        assertThat(history.withinSpan("delivered")).isZero();
    }
}
