package org.maildeck.mailets;

import java.util.concurrent.atomic.AtomicLong;

import javax.inject.Singleton;

/**
 * How many messages went on without a spam check because spamd gave no score (down, too slow,
 * circuit open) since the server started: one count for the pipeline and the SMTP listeners,
 * shown in the warning line and read by the monitoring.
 */
@Singleton
public class SpamCheckFailures {
    private final AtomicLong count = new AtomicLong();

    long record() {
        return count.incrementAndGet();
    }

    public long count() {
        return count.get();
    }
}
