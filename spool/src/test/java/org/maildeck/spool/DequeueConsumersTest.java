package org.maildeck.spool;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import javax.jms.JMSException;
import javax.jms.Message;

import org.apache.james.queue.jms.JMSSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kept consumers of one queue, on a real broker. */
class DequeueConsumersTest {

    private static final String QUEUE = "spool";

    @TempDir
    Path data;

    private EmbeddedBroker broker;
    private BrokerLanes lanes;
    private DequeueConsumers consumers;

    @BeforeEach
    void startBroker() throws Exception {
        broker = TestBrokers.startedIn(data);
        lanes = new BrokerLanes(broker.connectionFactory(), QUEUE);
        consumers = new DequeueConsumers(lanes, QUEUE);
    }

    @AfterEach
    void stopBroker() throws Exception {
        consumers.close();
        lanes.close();
        broker.stop();
    }

    private void send(String name, long nextDelivery) throws Exception {
        lanes.send(session -> {
            Message message = session.createBytesMessage();
            message.setStringProperty(JMSSupport.JAMES_MAIL_NAME, name);
            message.setLongProperty(JMSSupport.JAMES_NEXT_DELIVERY, nextDelivery);
            return message;
        }, 4);
    }

    private static String name(Message message) throws JMSException {
        return message.getStringProperty(JMSSupport.JAMES_MAIL_NAME);
    }

    @Test
    void theConsumerOfACommittedMailTakesTheNext() throws Exception {
        send("first", -1);
        send("second", -1);
        DequeueConsumers.Receiver receiver = consumers.ready();
        assertThat(name(receiver.receive(5_000))).isEqualTo("first");

        receiver.commit();

        assertThat(consumers.ready()).isSameAs(receiver);
        assertThat(name(receiver.receive(5_000))).isEqualTo("second");
    }

    @Test
    void aRolledBackMailGoesBackToTheQueueForAnotherConsumer() throws Exception {
        send("fails", -1);
        DequeueConsumers.Receiver first = consumers.ready();
        first.receive(5_000);

        first.rollback();

        DequeueConsumers.Receiver next = consumers.ready();
        assertThat(next).isNotSameAs(first);
        Message again = next.receive(5_000);
        assertThat(again).isNotNull();
        assertThat(name(again)).isEqualTo("fails");
    }

    @Test
    void aConsumerOfReadyMailLeavesDelayedMailAlone() throws Exception {
        send("later", System.currentTimeMillis() + 3_600_000);

        assertThat(consumers.ready().receive(200)).isNull();
    }

    @Test
    void aSweepTakesTheMailDueByItsTime() throws Exception {
        long due = System.currentTimeMillis() - 1;
        send("due", due);

        Message taken = consumers.dueBy(System.currentTimeMillis()).receive(0);

        assertThat(taken).isNotNull();
        assertThat(name(taken)).isEqualTo("due");
    }

    @Test
    void aSweepLeavesMailThatWasNeverDelayedToTheKeptConsumers() throws Exception {
        send("ready", -1);

        assertThat(consumers.dueBy(System.currentTimeMillis()).receive(0)).isNull();
        assertThat(name(consumers.ready().receive(5_000))).isEqualTo("ready");
    }
}
