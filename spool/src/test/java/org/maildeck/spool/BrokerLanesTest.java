package org.maildeck.spool;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The connections of one queue to the embedded broker: opened as they are needed, up to the limit. */
class BrokerLanesTest {

    private static final String QUEUE = "spool";

    @TempDir
    Path data;

    private EmbeddedBroker broker;
    private BrokerLanes lanes;

    @BeforeEach
    void startBroker() throws Exception {
        broker = TestBrokers.startedIn(data);
        lanes = new BrokerLanes(broker.connectionFactory(), QUEUE);
    }

    @AfterEach
    void stopBroker() throws Exception {
        lanes.close();
        broker.stop();
    }

    @Test
    void sendsOneAfterTheOtherKeepOneConnection() throws Exception {
        for (int i = 0; i < 20; i++) {
            lanes.send(session -> session.createBytesMessage(), 4);
        }

        assertThat(lanes.openLanes()).isEqualTo(1);
    }

    @Test
    void keptConsumersMadeInTurnGetALaneEachUpToTheLimit() throws Exception {
        for (int i = 0; i < 3; i++) {
            lanes.keptTransactedSession();
        }
        assertThat(lanes.openLanes()).isEqualTo(3);

        for (int i = 0; i < 2 * BrokerLanes.LANES; i++) {
            lanes.keptTransactedSession();
        }
        assertThat(lanes.openLanes()).isEqualTo(BrokerLanes.LANES);
    }

    @Test
    void sweepsOpenNoConnection() throws Exception {
        for (int i = 0; i < 20; i++) {
            lanes.passingTransactedSession().close();
        }

        assertThat(lanes.openLanes()).isEqualTo(1);
    }
}
