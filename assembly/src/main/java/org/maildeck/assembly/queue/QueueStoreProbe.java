package org.maildeck.assembly.queue;

import javax.inject.Inject;

import org.apache.james.utils.GuiceProbe;
import org.maildeck.spool.EmbeddedBroker;

/** Hands the queue store to the shutdown, which stops it after the servers and the spooler. */
public final class QueueStoreProbe implements GuiceProbe {

    private final EmbeddedBroker broker;

    @Inject
    QueueStoreProbe(EmbeddedBroker broker) {
        this.broker = broker;
    }

    public EmbeddedBroker broker() {
        return broker;
    }
}
