package org.maildeck.assembly.queue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;

import javax.jms.ConnectionFactory;
import javax.jms.JMSException;
import javax.jms.Message;
import javax.jms.MessageConsumer;
import javax.jms.ObjectMessage;
import javax.jms.Session;
import javax.mail.MessagingException;

import org.apache.james.metrics.api.GaugeRegistry;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.queue.activemq.ActiveMQCacheableMailQueue;
import org.apache.james.queue.api.MailQueueItemDecoratorFactory;
import org.apache.james.queue.api.MailQueueName;
import org.apache.mailet.Mail;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * James's ActiveMQ mail queue (same messages in the same store, so the admin's browse, remove,
 * flush and sizes are James's), with its enqueues and dequeue commits spread over
 * {@link BrokerLanes} so that concurrent ones share the journal's fsync, and its dequeue woken
 * when a delayed mail falls due ({@link DueTimes}) instead of up to 10 s later.
 *
 * <p>The message stays a James {@link ObjectMessage} holding the raw bytes of the mail, so
 * mail left in the store by an earlier version is read as before.</p>
 */
final class GroupCommitMailQueue extends ActiveMQCacheableMailQueue {

    private final BrokerLanes lanes;
    private final DueTimes dueTimes = new DueTimes();
    private final Flux<MailQueueItem> dequeue;

    GroupCommitMailQueue(ConnectionFactory connectionFactory, MailQueueItemDecoratorFactory decorators, MailQueueName name,
                         MetricFactory metricFactory, GaugeRegistry gaugeRegistry) {
        super(connectionFactory, decorators, name, false, metricFactory, gaugeRegistry);
        lanes = new BrokerLanes(connectionFactory, name.asString());
        dequeue = Mono.defer(this::takeNext).repeat();
    }

    @Override
    protected Map<String, Object> getJMSProperties(Mail mail, long nextDelivery) throws MessagingException {
        if (nextDelivery > System.currentTimeMillis()) {
            dueTimes.add(nextDelivery);
        }
        return super.getJMSProperties(mail, nextDelivery);
    }

    @Override
    protected void produceMail(Map<String, Object> properties, int priority, Mail mail)
            throws JMSException, MessagingException, IOException {
        byte[] content = content(mail);
        try {
            lanes.send(session -> {
                ObjectMessage message = session.createObjectMessage();
                for (Map.Entry<String, Object> property : properties.entrySet()) {
                    message.setObjectProperty(property.getKey(), property.getValue());
                }
                message.setObject(content);
                return message;
            }, priority);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MailQueueException("interrupted while enqueueing " + mail.getName(), e);
        }
    }

    /** The raw mail, written once into an array of its exact size (no copy when the size is right). */
    private static byte[] content(Mail mail) throws MessagingException, IOException {
        long size = mail.getMessageSize();
        ExactBytes out = new ExactBytes(size > 0 && size < Integer.MAX_VALUE ? (int) size : 32);
        mail.getMessage().writeTo(out);
        return out.bytes();
    }

    private static final class ExactBytes extends ByteArrayOutputStream {
        ExactBytes(int size) {
            super(size);
        }

        byte[] bytes() {
            return count == buf.length ? buf : toByteArray();
        }
    }

    @Override
    public Flux<MailQueueItem> deQueue() {
        return dequeue;
    }

    /**
     * James's dequeue of one mail, on a lane of its own and waiting no longer than until the next
     * delayed mail falls due: the consumer selects the mails due at the moment it is made.
     */
    private Mono<MailQueueItem> takeNext() {
        Session session = null;
        MessageConsumer consumer = null;
        try {
            long now = System.currentTimeMillis();
            long wait = dueTimes.waitMillis(now);
            session = lanes.transactedSession();
            consumer = session.createConsumer(session.createQueue(queueName.asString()),
                JAMES_NEXT_DELIVERY + " <= " + now + " OR " + FORCE_DELIVERY + " = true");
            Message message = consumer.receive(wait);
            if (message != null) {
                dequeuedMailsMetric.increment();
                return createMailQueueItem(session, consumer, message);
            }
            session.commit();
            closeConsumer(consumer);
            closeSession(session);
            return Mono.empty();
        } catch (Exception e) {
            rollback(session);
            closeConsumer(consumer);
            closeSession(session);
            return Mono.error(new MailQueueException("Unable to dequeue next message", e));
        }
    }

    @Override
    public void dispose() {
        lanes.close();
        super.dispose();
    }
}
