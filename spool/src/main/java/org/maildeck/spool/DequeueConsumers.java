package org.maildeck.spool;

import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

import javax.jms.JMSException;
import javax.jms.Message;
import javax.jms.MessageConsumer;
import javax.jms.Session;

import org.apache.james.queue.jms.JMSCacheableMailQueue;
import org.apache.james.queue.jms.JMSSupport;

/**
 * The transacted sessions that take mail off one queue, each with its consumer, kept for the
 * next mail once the one they took is committed.
 *
 * <p>Why: James's JMS queue made a session and a consumer, with a selector parsed anew, for
 * every mail and closed them after its commit: making and closing them (in the client, and in
 * the broker: the subscription added to the queue and taken off again) topped the dequeue's
 * profile. A selector is fixed when its consumer is made, so the kept consumers select
 * what stays true of a mail: not delayed, or flushed. Delayed mail is taken by a consumer made
 * for the occasion, selecting the mails due at that moment, when {@link DueTimes} says a sweep
 * is needed.</p>
 *
 * <p>A consumer whose mail is rolled back is closed, not kept: ActiveMQ gives a rolled-back
 * message back to the same consumer, where the other consumers and the admin's delete or hold
 * could not see it while the consumer waits idle.</p>
 */
final class DequeueConsumers implements AutoCloseable {

    /** Mail not delayed (James stores -1 as its due time) and mail an admin flushed. */
    static final String READY = JMSSupport.JAMES_NEXT_DELIVERY + " < 0 OR " + JMSCacheableMailQueue.FORCE_DELIVERY + " = true";

    private final BrokerLanes lanes;
    private final String queueName;
    private final Queue<Receiver> idle = new ConcurrentLinkedQueue<>();
    private final Set<Receiver> open = ConcurrentHashMap.newKeySet();

    DequeueConsumers(BrokerLanes lanes, String queueName) {
        this.lanes = lanes;
        this.queueName = queueName;
    }

    /** A kept consumer of ready mail, idle or new. */
    Receiver ready() throws JMSException {
        Receiver receiver = idle.poll();
        return receiver != null ? receiver : new Receiver(READY, true);
    }

    /**
     * A consumer for one delayed mail due at or before {@code nowEpochMillis} (or flushed), closed
     * after it. Not mail that was never delayed (due time -1): the kept consumers take that. A
     * sweep that took it found "a due mail", so the next dequeue swept again, and under a steady
     * load every mail came through a consumer made and closed for it, with its selector parsed
     * anew (~40 KB of parser buffers each): the cost the kept consumers are there to avoid.
     */
    Receiver dueBy(long nowEpochMillis) throws JMSException {
        return new Receiver("(" + JMSSupport.JAMES_NEXT_DELIVERY + " >= 0 AND " + JMSSupport.JAMES_NEXT_DELIVERY + " <= " + nowEpochMillis
            + ") OR " + JMSCacheableMailQueue.FORCE_DELIVERY + " = true", false);
    }

    /** One transacted session and its consumer; holds at most one mail at a time. */
    final class Receiver {
        private final Session session;
        private final MessageConsumer consumer;
        private final boolean kept;

        private Receiver(String selector, boolean kept) throws JMSException {
            this.kept = kept;
            this.session = kept ? lanes.keptTransactedSession() : lanes.passingTransactedSession();
            try {
                this.consumer = session.createConsumer(session.createQueue(queueName), selector);
            } catch (JMSException | RuntimeException e) {
                session.close();
                throw e;
            }
            open.add(this);
        }

        /**
         * The next matching mail, waiting up to {@code waitMillis} (0: only one already there);
         * with nothing to take, the receiver is given back. On an error it is closed.
         */
        Message receive(long waitMillis) throws JMSException {
            Message message;
            try {
                message = waitMillis > 0 ? consumer.receive(waitMillis) : consumer.receiveNoWait();
            } catch (JMSException | RuntimeException e) {
                close();
                throw e;
            }
            if (message == null) {
                giveBack();
            }
            return message;
        }

        /** The mail taken is done with: off the queue once the journal has the commit. */
        void commit() throws JMSException {
            try {
                session.commit();
            } catch (JMSException | RuntimeException e) {
                close();
                throw e;
            }
            giveBack();
        }

        /** The mail taken goes back onto the queue, for any consumer. */
        void rollback() {
            try {
                session.rollback();
            } catch (JMSException e) {
                // closing the session below gives the message back to the broker all the same
            } finally {
                close();
            }
        }

        private void giveBack() {
            if (kept) {
                idle.add(this);
            } else {
                close();
            }
        }

        void close() {
            open.remove(this);
            idle.remove(this);
            try {
                session.close();
            } catch (JMSException | RuntimeException e) {
                // the session is gone either way; its uncommitted mail stays on the queue (a
                // session closed while the broker's connection goes down can fail with an NPE)
            }
        }
    }

    @Override
    public void close() {
        for (Receiver receiver : open) {
            receiver.close();
        }
    }
}
