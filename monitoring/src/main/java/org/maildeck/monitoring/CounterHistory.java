package org.maildeck.monitoring;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Recent values of counters that only ever grow, sampled at a fixed pace, so that "how many in
 * the last minute" is the current value minus the one a minute ago. Keeps just enough samples
 * to reach one span back.
 */
final class CounterHistory {

    private record Sample(Instant time, Map<String, Long> values) {
    }

    private final Map<String, LongSupplier> counters;
    private final Duration span;
    private final Clock clock;
    private final Deque<Sample> samples = new ArrayDeque<>();

    CounterHistory(Map<String, LongSupplier> counters, Duration span, Clock clock) {
        this.counters = Map.copyOf(counters);
        this.span = span;
        this.clock = clock;
        sample();
    }

    synchronized void sample() {
        Instant now = clock.instant();
        samples.addLast(new Sample(now, current()));
        // keep the newest sample that is at least one span old, drop the ones before it
        while (samples.size() > 1 && !samples.stream().skip(1).findFirst().orElseThrow().time().isAfter(now.minus(span))) {
            samples.removeFirst();
        }
    }

    /** How much the counter grew within the span; since the first sample when there is no older one. */
    synchronized long withinSpan(String counter) {
        long base = samples.getFirst().values().get(counter);
        return counters.get(counter).getAsLong() - base;
    }

    private Map<String, Long> current() {
        Map<String, Long> values = new LinkedHashMap<>();
        counters.forEach((name, counter) -> values.put(name, counter.getAsLong()));
        return values;
    }
}
