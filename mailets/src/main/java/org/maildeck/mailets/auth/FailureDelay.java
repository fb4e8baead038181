package org.maildeck.mailets.auth;

import java.time.Duration;

/**
 * The wait before a failed login is answered, Postfix's {@code smtpd_error_sleep_time}: a
 * blocking pause, for protocols (SMTP, POP3) that James runs on a pool of worker threads, so
 * only the failing session waits; the throttle's {@code maxFailureDelay} caps the cost.
 */
public final class FailureDelay {

    private FailureDelay() {
    }

    public static void pause(Duration delay) {
        if (delay.isZero()) {
            return;
        }
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
