package org.maildeck.spool;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Enumeration;
import java.util.Optional;

import javax.jms.Connection;
import javax.jms.ConnectionFactory;
import javax.jms.JMSException;
import javax.jms.Message;
import javax.jms.QueueBrowser;
import javax.jms.Session;

import org.apache.james.queue.jms.JMSSupport;
import org.apache.mailet.AttributeValue;
import org.maildeck.mailets.remote.QueueArrival;

/**
 * A queue's figures, read by browsing its messages in the broker: only their properties are
 * looked at, never the mail itself. A browse costs a pass over the queue, so the result is kept
 * for a few seconds; a JMX console asking for three attributes causes one pass.
 */
class QueueContents implements QueueMXBean {

    static final Duration FRESH_FOR = Duration.ofSeconds(5);

    private record Snapshot(Instant taken, long messages, long deferred, Optional<Instant> oldest) {
    }

    private final ConnectionFactory broker;
    private final String queue;
    private final Clock clock;
    private Snapshot last;

    QueueContents(ConnectionFactory broker, String queue, Clock clock) {
        this.broker = broker;
        this.queue = queue;
        this.clock = clock;
    }

    @Override
    public long getMessageCount() {
        return snapshot().messages();
    }

    @Override
    public long getDeferredMessageCount() {
        return snapshot().deferred();
    }

    @Override
    public long getOldestMessageAgeSeconds() {
        Snapshot snapshot = snapshot();
        return snapshot.oldest().map(oldest -> Math.max(0, Duration.between(oldest, snapshot.taken()).toSeconds())).orElse(0L);
    }

    private synchronized Snapshot snapshot() {
        Instant now = clock.instant();
        if (last == null || last.taken().plus(FRESH_FOR).isBefore(now)) {
            try {
                last = browse(now);
            } catch (JMSException e) {
                throw new IllegalStateException("cannot browse queue " + queue + ": " + e.getMessage(), e);
            }
        }
        return last;
    }

    private Snapshot browse(Instant now) throws JMSException {
        Connection connection = broker.createConnection();
        try {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            QueueBrowser browser = session.createBrowser(session.createQueue(queue));
            long messages = 0;
            long deferred = 0;
            Optional<Instant> oldest = Optional.empty();
            for (Enumeration<?> each = browser.getEnumeration(); each.hasMoreElements(); ) {
                Message message = (Message) each.nextElement();
                messages++;
                if (message.propertyExists(JMSSupport.JAMES_NEXT_DELIVERY)
                        && message.getLongProperty(JMSSupport.JAMES_NEXT_DELIVERY) > now.toEpochMilli()) {
                    deferred++;
                }
                Instant arrived = arrival(message);
                if (oldest.isEmpty() || arrived.isBefore(oldest.get())) {
                    oldest = Optional.of(arrived);
                }
            }
            return new Snapshot(now, messages, deferred, oldest);
        } finally {
            connection.close();
        }
    }

    /** When the mail entered the queue: a retry is a new JMS message, so outgoing mail carries its first arrival. */
    private static Instant arrival(Message message) throws JMSException {
        String queuedAt = message.getStringProperty(QueueArrival.ATTRIBUTE.asString());
        if (queuedAt != null) {
            try {
                Object millis = AttributeValue.fromJsonString(queuedAt).value();
                if (millis instanceof Long arrived) {
                    return Instant.ofEpochMilli(arrived);
                }
            } catch (IOException e) {
                // not a value QueueArrival wrote: the broker's time is the next best
            }
        }
        return Instant.ofEpochMilli(message.getJMSTimestamp());
    }
}
