package org.maildeck.spool;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;

import javax.jms.Connection;
import javax.jms.JMSException;
import javax.jms.Message;
import javax.jms.MessageProducer;
import javax.jms.Session;

import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.james.queue.jms.JMSSupport;
import org.apache.mailet.AttributeValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.maildeck.mailets.remote.QueueArrival;

/** The queue figures read from the broker's messages, against an in-memory ActiveMQ broker. */
class QueueContentsTest {

    private static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");

    private final String queue = "test-" + UUID.randomUUID();
    private ActiveMQConnectionFactory broker;
    private Connection connection;

    @BeforeEach
    void startBroker() throws JMSException {
        broker = new ActiveMQConnectionFactory("vm://queue-contents-test?broker.persistent=false&broker.useJmx=false");
        connection = broker.createConnection();
        connection.start();
    }

    @AfterEach
    void stopBroker() throws JMSException {
        connection.close();
    }

    private QueueContents contents(Instant now) {
        return new QueueContents(broker, queue, Clock.fixed(now, ZoneOffset.UTC));
    }

    private void send(Instant nextDelivery, String queuedAt) throws JMSException {
        Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageProducer producer = session.createProducer(session.createQueue(queue));
        Message message = session.createObjectMessage(new byte[] {'x'});
        message.setLongProperty(JMSSupport.JAMES_NEXT_DELIVERY, nextDelivery.toEpochMilli());
        if (queuedAt != null) {
            message.setStringProperty(QueueArrival.ATTRIBUTE.asString(), queuedAt);
        }
        producer.send(message);
        session.close();
    }

    private static String queuedAt(Instant time) {
        return AttributeValue.of(time.toEpochMilli()).toJson().orElseThrow().toString();
    }

    @Test
    void anEmptyQueueHasNoMessagesAndNoAge() {
        QueueContents empty = contents(NOW);

        assertThat(empty.getMessageCount()).isZero();
        assertThat(empty.getDeferredMessageCount()).isZero();
        assertThat(empty.getOldestMessageAgeSeconds()).isZero();
    }

    @Test
    void messagesWithANextDeliveryInTheFutureAreDeferred() throws JMSException {
        send(NOW.minusSeconds(1), null);
        send(NOW.plusSeconds(600), null);
        send(NOW.plusSeconds(3600), null);

        QueueContents contents = contents(NOW);

        assertThat(contents.getMessageCount()).isEqualTo(3);
        assertThat(contents.getDeferredMessageCount()).isEqualTo(2);
    }

    @Test
    void theAgeOfARetriedMessageCountsFromItsFirstArrivalNotFromItsLastRetry() throws JMSException {
        send(NOW.plusSeconds(600), queuedAt(NOW.minus(Duration.ofHours(5))));
        send(NOW, queuedAt(NOW.minus(Duration.ofMinutes(1))));

        assertThat(contents(NOW).getOldestMessageAgeSeconds()).isEqualTo(Duration.ofHours(5).toSeconds());
    }

    @Test
    void withoutAnArrivalTimeTheBrokersTimeCounts() throws JMSException {
        Instant sent = Instant.now();
        send(sent, null);

        assertThat(contents(sent.plusSeconds(42)).getOldestMessageAgeSeconds()).isBetween(41L, 42L);
    }

    @Test
    void figuresAreReadOnceForSeveralAttributesAskedTogether() throws JMSException {
        QueueContents contents = contents(NOW);
        assertThat(contents.getMessageCount()).isZero();

        send(NOW, null);

        assertThat(contents.getMessageCount()).as("within " + QueueContents.FRESH_FOR).isZero();
    }
}
