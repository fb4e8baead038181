package org.maildeck.mailets;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicLongArray;

import javax.inject.Singleton;

/**
 * How many times each {@code status=} has been written to the mail log since start: per recipient
 * ({@code delivered}, {@code sent}, {@code deferred}, {@code bounced}, {@code discarded},
 * {@code undeliverable}) and per mail ({@code expired}), as pflogsumm counts the lines. Kept by
 * {@link DeliveryOutcomes} as it writes each line, so a count and its lines cannot disagree; read
 * by the console's charts.
 */
@Singleton
public class StatusCounts {

    /** A {@code status=} of the mail log. */
    public enum Status {
        DELIVERED, SENT, DEFERRED, BOUNCED, DISCARDED, UNDELIVERABLE, EXPIRED;

        /** As the mail log writes it: {@code delivered}, {@code bounced}, ... */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final AtomicLongArray counts = new AtomicLongArray(Status.values().length);

    void record(Status status) {
        counts.incrementAndGet(status.ordinal());
    }

    public long count(Status status) {
        return counts.get(status.ordinal());
    }
}
