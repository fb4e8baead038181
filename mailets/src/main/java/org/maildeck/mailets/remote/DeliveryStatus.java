package org.maildeck.mailets.remote;

/**
 * A recipient's outcome in one delivery attempt, as Postfix's smtp client names it. A failure is
 * permanent (bounced) only on a 5xx reply; a 4xx, or no reply at all (connection lost), is
 * retried later. RemoteDelivery decides the same way. Recorded through {@code DeliveryOutcomes}.
 */
enum DeliveryStatus {
    SENT,
    DEFERRED,
    BOUNCED;

    static DeliveryStatus ofFailure(int replyCode) {
        return replyCode >= 500 && replyCode < 600 ? BOUNCED : DEFERRED;
    }
}
