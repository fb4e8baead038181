package org.maildeck.spool;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import javax.jms.Connection;
import javax.jms.JMSException;
import javax.jms.MessageConsumer;
import javax.jms.Session;
import javax.jms.TextMessage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded broker's connections: replies and deliveries on the broker's thread, the broker's end asynchronous. */
class DirectReplyConnectionFactoryTest {

    @TempDir
    Path data;

    private EmbeddedBroker broker;
    private Connection connection;

    @BeforeEach
    void connect() throws Exception {
        broker = TestBrokers.startedIn(data);
        connection = broker.connectionFactory().createConnection();
        connection.start();
    }

    @AfterEach
    void disconnect() throws Exception {
        connection.close();
        broker.stop();
    }

    private void send(String text) throws JMSException {
        Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        try {
            session.createProducer(session.createQueue("spool")).send(session.createTextMessage(text));
        } finally {
            session.close();
        }
    }

    private static Set<String> threadsNamed(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
            .map(Thread::getName)
            .filter(name -> name.startsWith(prefix))
            // a transport end's threads are named after it, the number of the thread in its pool last
            .map(name -> name.replaceFirst("-\\d+$", ""))
            .collect(Collectors.toSet());
    }

    @Test
    void sendsAndTakesStartNoSessionThreadAndTransportThreadsOnlyAtTheBrokersEnd() throws Exception {
        Set<String> transportEndsBefore = threadsNamed("ActiveMQ VMTransport");
        Set<String> sessionThreadsBefore = threadsNamed("ActiveMQ Session Task");
        Connection consumerConnection = broker.connectionFactory().createConnection();
        try {
            consumerConnection.start();
            Session session = consumerConnection.createSession(true, Session.SESSION_TRANSACTED);
            MessageConsumer consumer = session.createConsumer(session.createQueue("spool"));
            for (int i = 0; i < 20; i++) {
                send("mail " + i);
                assertThat(consumer.receive(5_000)).isNotNull();
                session.commit();
            }

            Set<String> newTransportEnds = threadsNamed("ActiveMQ VMTransport");
            newTransportEnds.removeAll(transportEndsBefore);
            Set<String> newSessionThreads = threadsNamed("ActiveMQ Session Task");
            newSessionThreads.removeAll(sessionThreadsBefore);
            assertThat(newSessionThreads).isEmpty();
            assertThat(newTransportEnds).as("one end of the consumer's connection").hasSizeLessThanOrEqualTo(1);
        } finally {
            consumerConnection.close();
        }
    }

    @Test
    void aSendOnAnInterruptedThreadFailsWithoutStoppingTheBroker() throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread interrupted = new Thread(() -> {
            Thread.currentThread().interrupt();
            try {
                send("interrupted");
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        interrupted.start();
        interrupted.join();

        assertThat(failure.get()).isNotNull();
        send("after");
        Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
        try {
            TextMessage taken = (TextMessage) session.createConsumer(session.createQueue("spool")).receive(5_000);
            assertThat(taken).isNotNull();
            assertThat(taken.getText()).isEqualTo("after");
            session.commit();
        } finally {
            session.close();
        }
    }
}
