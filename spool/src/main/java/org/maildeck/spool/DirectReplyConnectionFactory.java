package org.maildeck.spool;

import javax.jms.JMSException;

import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.activemq.transport.Transport;
import org.apache.activemq.transport.vm.VMTransport;

/**
 * Connections to the embedded broker whose replies and deliveries the broker's thread hands
 * straight to the client thread waiting for them.
 *
 * <p>Why: a vm:// connection is a pair of transports, and by default each end serves what it
 * receives on a thread of its own ("ActiveMQ VMTransport"). A send then went SMTP thread,
 * broker thread, journal writer, broker thread, client transport thread, SMTP thread, and a
 * delivery broker thread, client transport thread, session thread ("ActiveMQ Session Task"),
 * spooler: every extra thread is a wake-up and a park (futex calls) per message, and a thread
 * per connection kept alive for 30 s after its last use. Here the client's end is synchronous:
 * the broker's thread runs the client's handling of a reply (setting the waiting request's
 * response) or of a delivery (putting the message where the waiting {@code receive()} takes
 * it, with {@code alwaysSessionAsync} off), which only hand data over and never block on the
 * broker.</p>
 *
 * <p>The broker's end stays asynchronous, on purpose: the client's threads (SMTP sessions,
 * spoolers) only queue their commands for the broker's threads and never run the broker
 * themselves. A spooler can be interrupted (James's shutdown, a cancelled dequeue); an
 * interrupt that reached the broker during a journal write would fail the store, and the broker
 * stops on a store failure ({@code vm://...?async=false}, which makes both ends synchronous,
 * did exactly that in the spool's unit tests).</p>
 *
 * <p>Only for a consumer that takes its messages with {@code receive()}: a
 * {@code MessageListener} would run on the broker's thread.</p>
 */
final class DirectReplyConnectionFactory extends ActiveMQConnectionFactory {

    DirectReplyConnectionFactory(String brokerUrl) {
        super(brokerUrl);
        setAlwaysSessionAsync(false);
        // the broker's thread that finds a message for a waiting consumer delivers it, instead
        // of handing it to the connection's dispatch task on another thread
        setDispatchAsync(false);
    }

    @Override
    protected Transport createTransport() throws JMSException {
        Transport transport = super.createTransport();
        VMTransport clientEnd = transport.narrow(VMTransport.class);
        if (clientEnd == null) {
            throw new IllegalStateException("not a vm:// connection: " + getBrokerURL());
        }
        clientEnd.setAsync(false); // not started yet: the connection starts it
        return transport;
    }
}
