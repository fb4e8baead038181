package org.maildeck.monitoring;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import javax.inject.Inject;
import javax.inject.Singleton;

import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.queue.api.MailQueue;
import org.apache.james.queue.api.MailQueueFactory;
import org.maildeck.mailets.StatusCounts;
import org.maildeck.spool.MonitoredQueues;
import org.maildeck.spool.QueueMXBean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last hour, a point per minute, for the console's charts: messages received, delivered
 * (stored here or sent on) and bounced within each minute; each scanner's median and p99 latency
 * and each queue's depth at the minute's end. Read from the counters the MBeans already keep,
 * sampled once a minute; the minute under way is a point of its own, so the charts show a mail
 * the moment it is counted.
 *
 * <p>Counts are differences of counters that only grow, so a sample that comes late (a busy or
 * suspended JVM) loses nothing: its minute holds what happened since the one before. A scanner's
 * latencies are those of its five-minute window at the sample ({@link LatencyWindow}), the
 * figure its MBean shows at that moment.</p>
 */
@Singleton
public class LastHour {

    /** How many closed minutes are kept: the charts' span. */
    public static final int MINUTES = 60;
    static final Duration PACE = Duration.ofMinutes(1);

    private static final Logger LOGGER = LoggerFactory.getLogger(LastHour.class);

    /** One minute's figures, ending at {@code end}. */
    public record Minute(Instant end, long received, long delivered, long bounced,
                         Map<String, Latency> scanners, Map<String, Long> queueDepths) {
    }

    /** A scanner's latencies in milliseconds, over the window it keeps ({@code samples} answers). */
    public record Latency(double medianMillis, double p99Millis, long samples) {
    }

    private record Totals(long received, long delivered, long bounced) {
    }

    private final LongSupplier received;
    private final LongSupplier delivered;
    private final LongSupplier bounced;
    private final ScannerLatencies latencies;
    private final Supplier<Map<String, Long>> queueDepths;
    private final Clock clock;
    private final Deque<Minute> minutes = new ArrayDeque<>();
    private Totals sampled;

    @Inject
    LastHour(MetricFactory metrics, StatusCounts statuses, ScannerLatencies latencies, MonitoredQueues queues) {
        this(() -> metrics.generate(MailQueue.ENQUEUED_METRIC_NAME_PREFIX + MailQueueFactory.SPOOL.asString()).getCount(),
            () -> statuses.count(StatusCounts.Status.DELIVERED) + statuses.count(StatusCounts.Status.SENT),
            () -> statuses.count(StatusCounts.Status.BOUNCED) + statuses.count(StatusCounts.Status.EXPIRED),
            latencies, () -> depths(queues), Clock.systemUTC());
    }

    LastHour(LongSupplier received, LongSupplier delivered, LongSupplier bounced, ScannerLatencies latencies,
             Supplier<Map<String, Long>> queueDepths, Clock clock) {
        this.received = received;
        this.delivered = delivered;
        this.bounced = bounced;
        this.latencies = latencies;
        this.queueDepths = queueDepths;
        this.clock = clock;
        this.sampled = totals();
    }

    /** Samples from now on, on a daemon thread: nothing to stop at shutdown. */
    public void start() {
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "maildeck-last-hour");
            thread.setDaemon(true);
            return thread;
        });
        sampler.scheduleAtFixedRate(this::sampleLogged, PACE.toMillis(), PACE.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void sampleLogged() {
        try {
            sample();
        } catch (RuntimeException e) {
            // a failed sample must not end the schedule (an exception would cancel it)
            LOGGER.warn("last hour's figures: sampling failed: {}", e.toString());
        }
    }

    /** Closes the minute under way: its figures become a point, the oldest beyond the hour dropped. */
    synchronized void sample() {
        Minute minute = current();
        sampled = new Totals(sampled.received() + minute.received(), sampled.delivered() + minute.delivered(),
            sampled.bounced() + minute.bounced());
        minutes.addLast(minute);
        while (minutes.size() > MINUTES) {
            minutes.removeFirst();
        }
    }

    /** The closed minutes of the last hour, oldest first, then the minute under way. */
    public synchronized List<Minute> minutes() {
        List<Minute> all = new ArrayList<>(minutes);
        all.add(current());
        return all;
    }

    private Minute current() {
        Totals now = totals();
        Map<String, Latency> scanners = new LinkedHashMap<>();
        latencies.all().forEach((name, window) -> scanners.put(name, new Latency(window.medianMillis(), window.p99Millis(), window.samples())));
        return new Minute(clock.instant(), now.received() - sampled.received(), now.delivered() - sampled.delivered(),
            now.bounced() - sampled.bounced(), scanners, queueDepths.get());
    }

    private Totals totals() {
        return new Totals(received.getAsLong(), delivered.getAsLong(), bounced.getAsLong());
    }

    private static Map<String, Long> depths(MonitoredQueues queues) {
        Map<String, Long> depths = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, QueueMXBean> queue : queues.mbeans().entrySet()) {
                depths.put(queue.getKey(), queue.getValue().getMessageCount());
            }
        } catch (Exception e) {
            LOGGER.warn("last hour's figures: queue depths unavailable: {}", e.toString());
        }
        return depths;
    }
}
