package org.maildeck.mailets.remote;

import java.time.Instant;
import java.util.Date;
import java.util.Optional;

import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;

/**
 * When a mail arrived, the one time the outgoing queue's age, the delay warning and the mail
 * log's {@code delay=} all count from (Postfix counts from arrival too). It is written on the
 * mail the first time it is asked for, from the mail's last-updated date, which is its
 * reception until RemoteDelivery moves it on each retry; a retry is a new JMS message, so the
 * queue's own timestamps would restart as well.
 */
public final class QueueArrival {

    /** The attribute, which the queue also carries as a JMS property of this name (its value as JSON). */
    public static final AttributeName ATTRIBUTE = AttributeName.of("org.maildeck.arrived");

    private QueueArrival() {
    }

    /** The arrival written on the mail, if any. */
    public static Optional<Instant> of(Mail mail) {
        return mail.getAttribute(ATTRIBUTE)
            .flatMap(attribute -> attribute.getValue().valueAs(Long.class))
            .map(Instant::ofEpochMilli);
    }

    /** The arrival written on the mail; the first time, its last-updated date, written on it. */
    public static Instant note(Mail mail) {
        return of(mail).orElseGet(() -> {
            Instant arrived = Optional.ofNullable(mail.getLastUpdated()).map(Date::toInstant).orElseGet(Instant::now);
            mail.setAttribute(new Attribute(ATTRIBUTE, AttributeValue.of(arrived.toEpochMilli())));
            return arrived;
        });
    }
}
