package org.maildeck.spool;

import java.time.Duration;
import java.util.concurrent.PriorityBlockingQueue;

/**
 * When the delayed mails of a queue fall due, so that the dequeue looks for them then and only
 * then.
 *
 * <p>Why: the mails ready now are taken by consumers that live as long as the queue and select
 * "not delayed, or flushed" (a consumer made per mail was the spool's largest CPU cost). A
 * delayed mail is found by a sweep: a consumer made for the occasion that selects "due at or
 * before now". A sweep is needed when a due time known here has passed (those of the delayed
 * enqueues of this process), and at least every {@link #LONGEST_WAIT}, which bounds how late a
 * mail whose due time is not known here comes up (one delayed before a restart). The consumer
 * of ready mail waits no longer than until the next sweep.</p>
 */
final class DueTimes {

    static final Duration LONGEST_WAIT = Duration.ofMillis(500);

    private final PriorityBlockingQueue<Long> dueTimes = new PriorityBlockingQueue<>();
    private volatile long lastSweep; // never: the first dequeue sweeps

    void add(long dueEpochMillis) {
        dueTimes.add(dueEpochMillis);
    }

    /** Whether a sweep at {@code nowEpochMillis} may find a mail that has fallen due. */
    boolean sweepNeeded(long nowEpochMillis) {
        Long next = dueTimes.peek();
        return (next != null && next <= nowEpochMillis) || nowEpochMillis - lastSweep >= LONGEST_WAIT.toMillis();
    }

    /**
     * A sweep selecting the mails due at {@code sweptAtEpochMillis} found none: their due times
     * are forgotten (they were taken) and the next sweep is due {@link #LONGEST_WAIT} later.
     */
    void sweptEmpty(long sweptAtEpochMillis) {
        Long next = dueTimes.peek();
        while (next != null && next <= sweptAtEpochMillis) {
            dueTimes.remove(next);
            next = dueTimes.peek();
        }
        lastSweep = sweptAtEpochMillis;
    }

    /** How long the consumer of ready mail may wait at {@code nowEpochMillis}: until the next sweep. */
    long waitMillis(long nowEpochMillis) {
        long longest = Math.max(1, lastSweep + LONGEST_WAIT.toMillis() - nowEpochMillis);
        Long next = dueTimes.peek();
        return next == null ? longest : Math.max(1, Math.min(longest, next - nowEpochMillis));
    }
}
