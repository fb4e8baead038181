package org.maildeck.spool;

import org.apache.james.queue.api.MailQueue.MailQueueException;
import org.apache.james.queue.api.MailQueue.MailQueueItem;
import org.apache.james.queue.api.MailQueueFactory;
import org.apache.james.queue.api.MailQueueItemDecoratorFactory;
import org.apache.james.queue.api.MailQueueName;
import org.apache.james.queue.api.RawMailQueueItem;
import javax.inject.Inject;

import org.apache.mailet.Mail;
import org.maildeck.mailets.DeliveryOutcomes;
import org.maildeck.mailets.remote.OutgoingDelivery;

/**
 * Every mail taken from a queue other than the spool (the queues of RemoteDelivery) is, from
 * {@link #getMail()} to {@link #done}, the {@link OutgoingDelivery} of the thread that took it, so
 * the SMTP transport can name it in the mail log. James's place for wrapping dequeued mail.
 */
public final class OutgoingDeliveryDecorators implements MailQueueItemDecoratorFactory {

    private final DeliveryOutcomes outcomes;

    @Inject
    OutgoingDeliveryDecorators(DeliveryOutcomes outcomes) {
        this.outcomes = outcomes;
    }

    @Override
    public MailQueueItemDecorator decorate(MailQueueItem item, MailQueueName name) {
        return name.equals(MailQueueFactory.SPOOL) ? new RawMailQueueItem(item) : new DeliveredItem(item, outcomes);
    }

    private static final class DeliveredItem extends MailQueueItemDecorator {

        private final DeliveryOutcomes outcomes;

        DeliveredItem(MailQueueItem item, DeliveryOutcomes outcomes) {
            super(item);
            this.outcomes = outcomes;
        }

        @Override
        public Mail getMail() {
            Mail mail = mailQueueItem.getMail();
            OutgoingDelivery.begin(mail, outcomes);
            return mail;
        }

        @Override
        public void done(CompletionStatus status) throws MailQueueException {
            OutgoingDelivery.end();
            mailQueueItem.done(status);
        }
    }
}
