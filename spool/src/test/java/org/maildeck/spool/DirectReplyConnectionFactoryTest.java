package org.maildeck.spool;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import javax.jms.Message;

import org.apache.james.queue.jms.JMSSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded broker's connections: replies and deliveries on the broker's thread, the broker's end asynchronous. */
class DirectReplyConnectionFactoryTest {

    private static final String QUEUE = "spool";

    @TempDir
    Path data;

    private EmbeddedBroker broker;
    private BrokerLanes lanes;
    private DequeueConsumers consumers;

    @BeforeEach
    void startBroker() throws Exception {
        broker = new EmbeddedBroker(new QueueSettings(data.resolve("queue"), 64L << 20, 1L << 30, 64L << 20, "always"));
    }

    @AfterEach
    void stopBroker() throws Exception {
        if (consumers != null) {
            consumers.close();
        }
        if (lanes != null) {
            lanes.close();
        }
        broker.stop();
    }

    private void send(String name) throws Exception {
        lanes.send(session -> {
            Message message = session.createBytesMessage();
            message.setStringProperty(JMSSupport.JAMES_MAIL_NAME, name);
            message.setLongProperty(JMSSupport.JAMES_NEXT_DELIVERY, -1);
            return message;
        }, 4);
    }

    private static Set<Thread> activeMqThreads(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
            .filter(thread -> thread.getName().startsWith(prefix))
            .collect(Collectors.toSet());
    }

    @Test
    void sendsAndTakesStartNoSessionThreadAndThreadsOnlyAtTheBrokersEndOfEachConnection() throws Exception {
        Set<Thread> transportThreadsBefore = activeMqThreads("ActiveMQ VMTransport");
        Set<Thread> sessionThreadsBefore = activeMqThreads("ActiveMQ Session Task");
        lanes = new BrokerLanes(broker.connectionFactory(), QUEUE);
        consumers = new DequeueConsumers(lanes, QUEUE);

        for (int i = 0; i < 20; i++) {
            send("mail " + i);
            DequeueConsumers.Receiver receiver = consumers.ready();
            assertThat(receiver.receive(5_000)).isNotNull();
            receiver.commit();
        }

        Set<Thread> newTransportThreads = activeMqThreads("ActiveMQ VMTransport");
        newTransportThreads.removeAll(transportThreadsBefore);
        Set<Thread> newSessionThreads = activeMqThreads("ActiveMQ Session Task");
        newSessionThreads.removeAll(sessionThreadsBefore);
        assertThat(newSessionThreads).isEmpty();
        // a transport end's threads are named after it, with the number of the thread in its pool last
        Set<String> transportEndsWithThreads = newTransportThreads.stream()
            .map(thread -> thread.getName().replaceFirst("-\\d+$", ""))
            .collect(Collectors.toSet());
        assertThat(transportEndsWithThreads).hasSizeLessThanOrEqualTo(BrokerLanes.LANES);
    }

    @Test
    void aSendOnAnInterruptedThreadFailsWithoutStoppingTheBroker() throws Exception {
        lanes = new BrokerLanes(broker.connectionFactory(), QUEUE);
        consumers = new DequeueConsumers(lanes, QUEUE);
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
        assertThat(lanes.brokerGone()).isFalse();
        send("after");
        DequeueConsumers.Receiver receiver = consumers.ready();
        Message taken = receiver.receive(5_000);
        assertThat(taken).isNotNull();
        assertThat(taken.getStringProperty(JMSSupport.JAMES_MAIL_NAME)).isEqualTo("after");
    }
}
