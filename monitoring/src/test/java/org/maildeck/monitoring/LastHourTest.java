package org.maildeck.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.maildeck.testsupport.ManualClock;

class LastHourTest {

    private final ManualClock clock = new ManualClock(Instant.parse("2026-12-07T12:00:00Z"));
    private final AtomicLong received = new AtomicLong(500);
    private final AtomicLong delivered = new AtomicLong(400);
    private final AtomicLong bounced = new AtomicLong(7);
    private final AtomicLong spoolDepth = new AtomicLong();
    private final ScannerLatencies latencies = new ScannerLatencies();
    private final LastHour lastHour = new LastHour(received::get, delivered::get, bounced::get, latencies,
        () -> Map.of("spool", spoolDepth.get()), clock);

    private void minutePasses() {
        clock.advance(Duration.ofMinutes(1));
        lastHour.sample();
    }

    @Test
    void aMinuteHoldsWhatWasCountedWithinItNotSinceStart() {
        received.addAndGet(3);
        delivered.addAndGet(2);
        bounced.incrementAndGet();
        minutePasses();

        LastHour.Minute first = lastHour.minutes().get(0);
        assertThat(new long[] {first.received(), first.delivered(), first.bounced()}).containsExactly(3, 2, 1);
    }

    @Test
    void theMinuteUnderWayShowsAMailAsSoonAsItIsCounted() {
        minutePasses();
        received.incrementAndGet();

        assertThat(lastHour.minutes()).hasSize(2);
        assertThat(lastHour.minutes().get(1).received()).isEqualTo(1);
    }

    @Test
    void onlyTheLastHourIsKept() {
        for (int minute = 0; minute < 90; minute++) {
            received.incrementAndGet();
            minutePasses();
        }

        assertThat(lastHour.minutes()).hasSize(LastHour.MINUTES + 1);
        assertThat(lastHour.minutes().get(0).end()).isEqualTo(clock.instant().minus(Duration.ofMinutes(LastHour.MINUTES - 1)));
    }

    @Test
    void aMinuteEndsWithTheQueueDepthAndScannerLatencyOfThatMoment() {
        spoolDepth.set(42);
        latencies.of("clamd").record(Duration.ofMillis(20));
        minutePasses();
        spoolDepth.set(0);

        LastHour.Minute first = lastHour.minutes().get(0);
        assertThat(first.queueDepths()).containsEntry("spool", 42L);
        assertThat(first.scanners().get("clamd").medianMillis()).isEqualTo(20.0);
        assertThat(lastHour.minutes().get(1).queueDepths()).containsEntry("spool", 0L);
    }
}
