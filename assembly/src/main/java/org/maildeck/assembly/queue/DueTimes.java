package org.maildeck.assembly.queue;

import java.time.Duration;
import java.util.concurrent.PriorityBlockingQueue;

/**
 * When the delayed mails of a queue fall due, so that the dequeue wakes up for them.
 *
 * <p>Why: James's JMS queue takes the next mail with a selector "due at or before now", now
 * being the moment the consumer was made, and waited 10 s for a match before making a new one,
 * so a retry due in 2 s came up to 10 s late. The dequeue now waits only until the next due
 * time known here (those of the delayed enqueues of this process), and never longer than
 * {@link #LONGEST_WAIT}, which bounds how late a mail whose due time is not known here comes up
 * (one delayed before a restart). A mail ready now is handed to the waiting consumer by the
 * broker at once, whatever the wait.</p>
 */
final class DueTimes {

    static final Duration LONGEST_WAIT = Duration.ofMillis(500);

    private final PriorityBlockingQueue<Long> dueTimes = new PriorityBlockingQueue<>();

    void add(long dueEpochMillis) {
        dueTimes.add(dueEpochMillis);
    }

    /**
     * How long a consumer made at {@code nowEpochMillis} (selecting the mails due by then) may
     * wait for one: until the next due time after now. Forgets the due times already passed,
     * since such a consumer selects their mails.
     */
    long waitMillis(long nowEpochMillis) {
        Long next = dueTimes.peek();
        while (next != null && next <= nowEpochMillis) {
            dueTimes.remove(next);
            next = dueTimes.peek();
        }
        long longest = LONGEST_WAIT.toMillis();
        return next == null ? longest : Math.max(1, Math.min(longest, next - nowEpochMillis));
    }
}
