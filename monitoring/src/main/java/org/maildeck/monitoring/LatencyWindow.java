package org.maildeck.monitoring;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import com.codahale.metrics.Histogram;
import com.codahale.metrics.SlidingTimeWindowArrayReservoir;
import com.codahale.metrics.Snapshot;

/**
 * Latencies of the last five minutes, for "median" and "p99" attributes an admin reads as the
 * state of now. James's own timers keep every sample since start, so a bad hour in the morning
 * would still show in the evening's p99; this window forgets it.
 */
public final class LatencyWindow {

    static final Duration SPAN = Duration.ofMinutes(5);

    private final Histogram samples = new Histogram(new SlidingTimeWindowArrayReservoir(SPAN.toSeconds(), TimeUnit.SECONDS));

    public void record(Duration latency) {
        samples.update(latency.toNanos());
    }

    public double medianMillis() {
        return millis(snapshot().getMedian());
    }

    public double p99Millis() {
        return millis(snapshot().get99thPercentile());
    }

    public double maxMillis() {
        return millis(snapshot().getMax());
    }

    /** How many samples the window holds: a p99 of three samples says little. */
    public long samples() {
        return snapshot().size();
    }

    private Snapshot snapshot() {
        return samples.getSnapshot();
    }

    private static double millis(double nanos) {
        return Math.round(nanos / 1_000.0) / 1_000.0;
    }
}
