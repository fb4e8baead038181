package org.maildeck.spool;

import java.time.Clock;
import java.util.Optional;
import java.util.Set;

import org.apache.james.queue.api.MailQueue;
import org.apache.james.queue.api.MailQueueFactory;
import org.apache.james.queue.api.MailQueueName;

/**
 * The queues as the mailet container and its mailets see them: the broker's, with RemoteDelivery's
 * outgoing queue wrapped in a {@link DelayWarningQueue}, and every queue but the spool (they are
 * RemoteDelivery's) taking mail as it was accepted ({@link AcceptedBytesQueue}). Administration
 * (WebAdmin, the CLI) keeps the broker's queues unwrapped.
 */
public final class DelayWarningQueueFactory implements MailQueueFactory<MailQueue> {

    private final MailQueueFactory<? extends MailQueue> broker;
    private final DelayWarningSettings settings;

    public DelayWarningQueueFactory(MailQueueFactory<? extends MailQueue> broker, DelayWarningSettings settings) {
        this.broker = broker;
        this.settings = settings;
    }

    @Override
    public Optional<MailQueue> getQueue(MailQueueName name, PrefetchCount count) {
        return broker.getQueue(name, count).map(this::watched);
    }

    @Override
    public MailQueue createQueue(MailQueueName name, PrefetchCount count) {
        return watched(broker.createQueue(name, count));
    }

    @Override
    public Set<MailQueueName> listCreatedMailQueues() {
        return broker.listCreatedMailQueues();
    }

    private MailQueue watched(MailQueue queue) {
        if (queue.getName().equals(SPOOL)) {
            return queue;
        }
        // outermost, so that the delay notice too is a copy of the mail as it was accepted
        return new AcceptedBytesQueue(warnedOfDelays(queue));
    }

    private MailQueue warnedOfDelays(MailQueue queue) {
        if (!settings.enabled() || !queue.getName().equals(settings.queue())) {
            return queue;
        }
        return new DelayWarningQueue(queue, broker.createQueue(SPOOL), settings, Clock.systemUTC());
    }
}
