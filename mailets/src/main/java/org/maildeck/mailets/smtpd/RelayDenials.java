package org.maildeck.mailets.smtpd;

import java.util.concurrent.atomic.AtomicLong;

import javax.inject.Singleton;

/** Recipients refused with {@code 554 5.7.1 Relay access denied}, on every listener, since start (read by the monitoring). */
@Singleton
public class RelayDenials {

    private final AtomicLong total = new AtomicLong();

    void record() {
        total.incrementAndGet();
    }

    public long total() {
        return total.get();
    }
}
