package org.maildeck.mailets;

import java.util.concurrent.atomic.AtomicLong;

import javax.inject.Singleton;

/**
 * What {@link MaildirDelivery} did with each recipient since the server started, one count per
 * {@code relay=maildir} mail-log line, counted by {@link DeliveryOutcomes} (read by the monitoring).
 */
@Singleton
public class MaildirDeliveryCounters {

    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong deliveredBytes = new AtomicLong();
    private final AtomicLong bouncedOverQuota = new AtomicLong();
    private final AtomicLong deferred = new AtomicLong();

    /** {@code status=delivered}: one copy stored, of {@code bytes} as the mailbox holds it. */
    void recordDelivered(long bytes) {
        delivered.incrementAndGet();
        deliveredBytes.addAndGet(bytes);
    }

    /** {@code status=bounced (mailbox full ...)}. */
    void recordBouncedOverQuota() {
        bouncedOverQuota.incrementAndGet();
    }

    /** {@code status=deferred (...)}: the mail goes to the mailet's error processor. */
    void recordDeferred() {
        deferred.incrementAndGet();
    }

    public long delivered() {
        return delivered.get();
    }

    public long deliveredBytes() {
        return deliveredBytes.get();
    }

    public long bouncedOverQuota() {
        return bouncedOverQuota.get();
    }

    public long deferred() {
        return deferred.get();
    }
}
