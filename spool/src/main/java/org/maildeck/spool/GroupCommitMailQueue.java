package org.maildeck.spool;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;

import javax.jms.ConnectionFactory;
import javax.jms.JMSException;
import javax.jms.Message;
import javax.jms.ObjectMessage;
import javax.jms.Session;
import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.activemq.command.ActiveMQBytesMessage;
import org.apache.activemq.util.ByteSequence;
import org.apache.activemq.util.JMSExceptionSupport;
import org.apache.james.metrics.api.GaugeRegistry;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.queue.activemq.ActiveMQCacheableMailQueue;
import org.apache.james.queue.api.MailQueueItemDecoratorFactory;
import org.apache.james.queue.api.MailQueueName;
import org.apache.james.queue.jms.MimeMessageObjectMessageSource;
import org.apache.james.server.core.MailImpl;
import org.apache.james.server.core.MimeMessageSource;
import org.apache.james.server.core.MimeMessageWrapper;
import org.apache.mailet.Mail;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * James's ActiveMQ mail queue (same messages in the same store, so the admin's browse, remove,
 * flush and sizes are James's), with its enqueues and dequeue commits spread over
 * {@link BrokerLanes} so that concurrent ones share the journal's fsync, its dequeue on kept
 * consumers ({@link DequeueConsumers}) that sweep for delayed mail only when some falls due
 * ({@link DueTimes}), and the mail's bytes as the body of a JMS bytes message.
 *
 * <p>Why bytes messages: James puts the raw mail into an {@code ObjectMessage}, which Java
 * serialises into a second array on enqueue and deserialises into a third on dequeue. A bytes
 * message holds the array the mail was written into, and the dequeued mail is parsed from the
 * array the broker delivers ({@link MailBytesSource}). Mail left in the store as an
 * {@code ObjectMessage} by an earlier version is still read, flushed and listed as before.</p>
 */
final class GroupCommitMailQueue extends ActiveMQCacheableMailQueue {

    private static final Logger LOGGER = LoggerFactory.getLogger(GroupCommitMailQueue.class);

    /** How long the dequeue pauses after a failure before it tries again. */
    static final Duration PAUSE_AFTER_FAILURE = Duration.ofSeconds(1);

    private final BrokerLanes lanes;
    private final DequeueConsumers consumers;
    private final DueTimes dueTimes = new DueTimes();
    private final Flux<MailQueueItem> dequeue;
    private volatile boolean disposed;

    GroupCommitMailQueue(ConnectionFactory connectionFactory, MailQueueItemDecoratorFactory decorators, MailQueueName name,
                         MetricFactory metricFactory, GaugeRegistry gaugeRegistry) {
        super(connectionFactory, decorators, name, false, metricFactory, gaugeRegistry);
        lanes = new BrokerLanes(connectionFactory, name.asString());
        consumers = new DequeueConsumers(lanes, name.asString());
        // A failed take pauses the dequeue, never ends it: an error reaching the subscriber would
        // end its subscription (repeat only resubscribes on completion), and James's spooler
        // does not subscribe again, so one unreadable message would stop delivery until a
        // restart. Only a broker that is gone ends it: at shutdown the broker stops before the
        // queues are disposed, and a closed vm:// connection never comes back.
        dequeue = Mono.defer(this::takeNext)
            .onErrorResume(this::pauseAfter)
            .repeat(() -> !disposed && !lanes.brokerGone());
    }

    @Override
    protected Map<String, Object> getJMSProperties(Mail mail, long nextDelivery) throws MessagingException {
        if (nextDelivery >= 0) {
            dueTimes.add(nextDelivery);
        }
        return super.getJMSProperties(mail, nextDelivery);
    }

    @Override
    protected void produceMail(Map<String, Object> properties, int priority, Mail mail)
            throws JMSException, MessagingException, IOException {
        ByteSequence content = content(mail);
        try {
            lanes.send(session -> {
                ActiveMQBytesMessage message = (ActiveMQBytesMessage) session.createBytesMessage();
                for (Map.Entry<String, Object> property : properties.entrySet()) {
                    message.setObjectProperty(property.getKey(), property.getValue());
                }
                // Setting a property opened the body for writing (the stream that sending would
                // turn into the body): drop it, the body is the mail's array as it is.
                message.clearBody();
                message.setContent(content);
                return message;
            }, priority);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MailQueueException("interrupted while enqueueing " + mail.getName(), e);
        }
    }

    /** The raw mail, written once into an array (sized from the mail when it knows its size). */
    private static ByteSequence content(Mail mail) throws MessagingException, IOException {
        long size = mail.getMessageSize();
        Bytes out = new Bytes(size > 0 && size < Integer.MAX_VALUE ? (int) size : 4096);
        mail.getMessage().writeTo(out);
        return out.inPlace();
    }

    private static final class Bytes extends ByteArrayOutputStream {
        Bytes(int size) {
            super(size);
        }

        ByteSequence inPlace() {
            return new ByteSequence(buf, 0, count);
        }
    }

    @Override
    protected MimeMessage mimeMessage(Message message) throws MessagingException, JMSException {
        if (message instanceof ActiveMQBytesMessage bytes) {
            return new MimeMessageWrapper(new MailBytesSource(bytes));
        }
        return super.mimeMessage(message);
    }

    /**
     * The dequeued mail, its message read in place from the queued one's bytes. Not James's
     * {@code createMail}: its {@code MailImpl.Builder.mimeMessage} copies the whole message into a
     * new buffer ({@code MimeMessageWrapper(MimeMessage)}), a second copy of the body per mail
     * that nothing needs (the bytes never change; a mailet's header edits stay in the wrapper).
     */
    private Mail mail(Message message) throws MessagingException, JMSException {
        MimeMessageSource source;
        if (message instanceof ActiveMQBytesMessage bytes) {
            source = new MailBytesSource(bytes);
        } else if (message instanceof ObjectMessage object) {
            source = new MimeMessageObjectMessageSource(object); // queued by an earlier version
        } else {
            return createMail(message);
        }
        MailImpl mail = populateMail(message).build();
        mail.setMessageContent(source);
        return mail;
    }

    /** What the admin's flush re-sends (with FORCE_DELIVERY set): the same bytes and properties. */
    @Override
    protected Message copy(Session session, Message message) throws JMSException {
        if (message instanceof ActiveMQBytesMessage bytes) {
            ActiveMQBytesMessage copy = (ActiveMQBytesMessage) session.createBytesMessage();
            copy.setContent(bytes.getContent());
            copy.setCompressed(bytes.isCompressed());
            try {
                copy.setProperties(bytes.getProperties());
            } catch (IOException e) {
                throw JMSExceptionSupport.create("Unable to copy message " + message, e);
            }
            return copy;
        }
        return super.copy(session, message);
    }

    @Override
    public Flux<MailQueueItem> deQueue() {
        return dequeue;
    }

    /**
     * The next mail: one fallen due if a sweep is needed and finds one, else a ready one, waiting
     * no longer than until the next sweep. Called by one subscriber at a time ({@code repeat}).
     */
    private Mono<MailQueueItem> takeNext() {
        try {
            long now = System.currentTimeMillis();
            if (dueTimes.sweepNeeded(now)) {
                DequeueConsumers.Receiver sweep = consumers.dueBy(now);
                Message due = sweep.receive(0);
                if (due != null) {
                    return taken(sweep, due);
                }
                dueTimes.sweptEmpty(now);
            }
            DequeueConsumers.Receiver ready = consumers.ready();
            Message message = ready.receive(dueTimes.waitMillis(now));
            return message == null ? Mono.empty() : taken(ready, message);
        } catch (Exception e) {
            return Mono.error(new MailQueueException("Unable to dequeue next message", e));
        }
    }

    private Mono<MailQueueItem> pauseAfter(Throwable failure) {
        if (disposed) {
            return Mono.empty();
        }
        if (lanes.brokerGone()) {
            LOGGER.info("queue {}: the mail queue store has stopped: no more mail taken", getName().asString());
            return Mono.empty();
        }
        if (interrupted(failure)) {
            // the subscriber's threads are being stopped (James's shutdown interrupts the
            // spooler's): the subscription is ending, nothing went wrong with the queue
            LOGGER.debug("queue {}: taking the next mail interrupted", getName().asString());
            return Mono.delay(PAUSE_AFTER_FAILURE).then(Mono.empty());
        }
        LOGGER.error("queue {}: taking the next mail failed, trying again in {} ms",
            getName().asString(), PAUSE_AFTER_FAILURE.toMillis(), failure);
        return Mono.delay(PAUSE_AFTER_FAILURE).then(Mono.empty());
    }

    private static boolean interrupted(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof InterruptedException) {
                return true;
            }
        }
        return Thread.currentThread().isInterrupted();
    }

    private Mono<MailQueueItem> taken(DequeueConsumers.Receiver receiver, Message message) {
        dequeuedMailsMetric.increment();
        try {
            return Mono.just(mailQueueItemDecoratorFactory.decorate(new TakenMail(mail(message), receiver), queueName));
        } catch (Exception e) {
            receiver.rollback();
            return Mono.error(new MailQueueException("Unable to read dequeued message " + message, e));
        }
    }

    @Override
    public void dispose() {
        disposed = true;
        consumers.close();
        lanes.close();
        super.dispose();
    }
}
