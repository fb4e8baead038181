package org.maildeck.spool;

import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import javax.jms.Connection;
import javax.jms.ConnectionFactory;
import javax.jms.JMSException;
import javax.jms.Message;
import javax.jms.MessageProducer;
import javax.jms.Session;

import org.apache.activemq.ActiveMQConnection;

/**
 * Several connections to the embedded broker for one queue, so that concurrent enqueues and
 * dequeue commits reach the KahaDB journal at the same time and share its syncs.
 *
 * <p>Why: the broker serves each vm:// connection on one thread, and an ActiveMQ session sends
 * one message at a time; James's JMS queue puts all its producers on one session and all its
 * consumers on one connection. So every SMTP DATA waited for the journal sync of the one before
 * it: one fsync per message, one message per fsync. The journal's appender writes whatever is
 * pending in one batch with one fsync ({@code DataFileAppender}), but only if several writers
 * are waiting on it. With {@value #LANES} lanes up to as many enqueues (and commits) are in the
 * journal's batch together; a sender waits for a free lane, which it would have waited for in
 * the fsync queue anyway.</p>
 *
 * <p>A lane is opened when a sender finds none free, up to {@value #LANES}: each connection has a
 * thread on the broker's side, kept while it is used, so a queue that never has two senders at
 * once (the outgoing queue of a server that mostly delivers locally) keeps one connection, not
 * {@value #LANES}.</p>
 */
final class BrokerLanes implements AutoCloseable {

    /** Concurrent enqueues that may share one journal sync; more than the SMTP sessions that usually send at once. */
    static final int LANES = 8;

    /** Builds the message to send on a lane's session. */
    @FunctionalInterface
    interface MessageBuilder {
        Message build(Session session) throws JMSException;
    }

    private record Lane(Connection connection, Session session, MessageProducer producer) {
    }

    private final ConnectionFactory connectionFactory;
    private final String queueName;
    private final List<Lane> lanes = new CopyOnWriteArrayList<>();
    private final BlockingQueue<Lane> idle = new ArrayBlockingQueue<>(LANES);
    private final AtomicInteger nextConsumerLane = new AtomicInteger();

    BrokerLanes(ConnectionFactory connectionFactory, String queueName) {
        this.connectionFactory = connectionFactory;
        this.queueName = queueName;
        try {
            idle.add(openLane()); // the broker is reachable, and the consumers have a connection
        } catch (JMSException e) {
            close();
            throw new IllegalStateException("cannot connect to the mail queue broker for " + queueName, e);
        }
    }

    /** A new lane, or none when all {@value #LANES} are open. */
    private synchronized Lane openLane() throws JMSException {
        if (lanes.size() >= LANES) {
            return null;
        }
        Connection connection = connectionFactory.createConnection();
        try {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Lane lane = new Lane(connection, session, session.createProducer(session.createQueue(queueName)));
            lanes.add(lane);
            return lane;
        } catch (JMSException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    /** The number of connections open to the broker. */
    int openLanes() {
        return lanes.size();
    }

    /** Sends a persistent message; returns once the broker has it in the synced journal. */
    void send(MessageBuilder builder, int priority) throws JMSException, InterruptedException {
        Lane lane = idle.poll();
        if (lane == null) {
            lane = openLane();
        }
        if (lane == null) {
            lane = idle.take();
        }
        try {
            lane.producer().send(builder.build(lane.session()), Message.DEFAULT_DELIVERY_MODE, priority, Message.DEFAULT_TIME_TO_LIVE);
        } finally {
            idle.add(lane);
        }
    }

    /**
     * A transacted session for a kept consumer, its commits on a lane of its own: the consumers
     * made one after the other go to the lanes in turn, opening them as needed, so that the
     * commits of concurrent deliveries reach the journal side by side.
     */
    Session keptTransactedSession() throws JMSException {
        int turn = Math.floorMod(nextConsumerLane.getAndIncrement(), LANES);
        Lane lane = turn < lanes.size() ? lanes.get(turn) : null;
        if (lane == null) {
            lane = openLane();
            if (lane == null) {
                lane = lanes.get(turn);
            } else {
                idle.add(lane);
            }
        }
        return lane.connection().createSession(true, Session.SESSION_TRANSACTED);
    }

    /** A transacted session for a consumer made for one mail (a sweep), on a lane already open. */
    Session passingTransactedSession() throws JMSException {
        return lanes.get(0).connection().createSession(true, Session.SESSION_TRANSACTED);
    }

    /**
     * Whether the broker's connections are gone (the broker stopped, or its vm:// transport
     * failed): nothing taken or sent through them can succeed again, there being no reconnection.
     */
    boolean brokerGone() {
        for (Lane lane : lanes) {
            if (lane.connection() instanceof ActiveMQConnection connection
                && (connection.isClosed() || connection.isClosing() || connection.isTransportFailed())) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        for (Lane lane : lanes) {
            try {
                lane.connection().close();
            } catch (JMSException e) {
                // closing at shutdown: the broker goes away next
            }
        }
    }
}
