package org.maildeck.mailets.remote;

/**
 * A recipient's outcome in one delivery attempt, as Postfix's smtp client names it. A failure is
 * permanent (bounced) only on a 5xx reply; a 4xx, or no reply at all (connection lost), is
 * retried later. RemoteDelivery decides the same way.
 */
enum DeliveryStatus {
    SENT("sent"),
    DEFERRED("deferred"),
    BOUNCED("bounced");

    private final String label;

    DeliveryStatus(String label) {
        this.label = label;
    }

    static DeliveryStatus ofFailure(int replyCode) {
        return replyCode >= 500 && replyCode < 600 ? BOUNCED : DEFERRED;
    }

    String label() {
        return label;
    }
}
