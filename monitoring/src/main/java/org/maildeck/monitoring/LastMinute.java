package org.maildeck.monitoring;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import javax.inject.Inject;

import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.queue.api.MailQueue;
import org.apache.james.queue.api.MailQueueFactory;
import org.apache.james.transport.mailets.remote.delivery.DeliveryRunnable;
import org.maildeck.mailets.MaildirDeliveryCounters;
import org.maildeck.mailets.ContentFilterCounters;
import org.maildeck.mailets.auth.LoginThrottle;
import org.maildeck.mailets.smtpd.RelayDenials;

/** The {@code LastMinute} MBean: the counters of the other MBeans (and two of James's metrics), sampled every five seconds. */
public class LastMinute implements LastMinuteMXBean {

    public static final String NAME = "org.maildeck:type=LastMinute";
    static final Duration PACE = Duration.ofSeconds(5);

    private static final String RECEIVED = "received";
    private static final String DELIVERED = "delivered";
    private static final String SENT = "sent";
    private static final String SCANNED = "scanned";
    private static final String VIRUSES = "viruses";
    private static final String SPAM_KILLED = "spam-killed";
    private static final String RELAY_DENIALS = "relay-denials";
    private static final String AUTH_FAILURES = "auth-failures";

    private final CounterHistory history;

    @Inject
    LastMinute(MetricFactory metrics, MaildirDeliveryCounters deliveries, ContentFilterCounters scans, RelayDenials relay, LoginThrottle auth) {
        Map<String, LongSupplier> counters = Map.of(
            RECEIVED, () -> metrics.generate(MailQueue.ENQUEUED_METRIC_NAME_PREFIX + MailQueueFactory.SPOOL.asString()).getCount(),
            DELIVERED, deliveries::delivered,
            SENT, () -> metrics.generate(DeliveryRunnable.OUTGOING_MAILS).getCount(),
            SCANNED, scans::scanned,
            VIRUSES, scans::infected,
            SPAM_KILLED, scans::spamKilled,
            RELAY_DENIALS, relay::total,
            AUTH_FAILURES, auth::failures);
        history = new CounterHistory(counters, Duration.ofMinutes(1), Clock.systemUTC());
    }

    /** Samples from now on, on a daemon thread: nothing to stop at shutdown. */
    public void start() {
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "maildeck-last-minute");
            thread.setDaemon(true);
            return thread;
        });
        sampler.scheduleAtFixedRate(history::sample, PACE.toMillis(), PACE.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public long getReceivedMessages() {
        return history.withinSpan(RECEIVED);
    }

    @Override
    public long getDeliveredMessages() {
        return history.withinSpan(DELIVERED);
    }

    @Override
    public long getSentMessages() {
        return history.withinSpan(SENT);
    }

    @Override
    public long getScannedMessages() {
        return history.withinSpan(SCANNED);
    }

    @Override
    public long getVirusesFound() {
        return history.withinSpan(VIRUSES);
    }

    @Override
    public long getSpamKilledMessages() {
        return history.withinSpan(SPAM_KILLED);
    }

    @Override
    public long getRelayDenials() {
        return history.withinSpan(RELAY_DENIALS);
    }

    @Override
    public long getAuthFailures() {
        return history.withinSpan(AUTH_FAILURES);
    }
}
