package org.maildeck.spool;

import java.time.Clock;
import java.time.Duration;

import javax.mail.MessagingException;

import org.apache.james.queue.api.MailQueue;
import org.apache.james.queue.api.MailQueueName;
import org.apache.james.server.core.MailImpl;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.maildeck.mailets.MailLog;
import org.maildeck.mailets.remote.OutgoingDelivery;
import org.maildeck.mailets.remote.QueueArrival;
import org.reactivestreams.Publisher;

/**
 * RemoteDelivery's outgoing queue, noting when each mail arrived and, when a delivery attempt
 * puts a mail back for a later retry after it has waited {@link DelayWarningSettings#after()},
 * sending one copy to the warning processor (a {@code DeliveryStatusNotice} with
 * {@code action=delayed}), as Postfix's {@code delay_warning_time} does. The mail log links the
 * mail to the copy ({@code <queue id>: delay warning: <copy's id>}), and the notice mailet the
 * copy to the notice ({@code <copy's id>: sender delay notification: <notice's id>}). RemoteDelivery re-queues with a delay only for
 * a retry, so a delayed enqueue is the signal.
 */
final class DelayWarningQueue implements MailQueue {

    static final AttributeName WARNED = AttributeName.of("org.maildeck.outgoing.delay-warned");

    private final MailQueue outgoing;
    private final MailQueue spool;
    private final DelayWarningSettings settings;
    private final Clock clock;

    DelayWarningQueue(MailQueue outgoing, MailQueue spool, DelayWarningSettings settings, Clock clock) {
        this.outgoing = outgoing;
        this.spool = spool;
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public MailQueueName getName() {
        return outgoing.getName();
    }

    @Override
    public void enQueue(Mail mail) throws MailQueueException {
        noteArrival(mail);
        outgoing.enQueue(mail);
    }

    @Override
    public Publisher<Void> enqueueReactive(Mail mail) {
        noteArrival(mail);
        return outgoing.enqueueReactive(mail);
    }

    @Override
    public void enQueue(Mail mail, Duration delay) throws MailQueueException {
        OutgoingDelivery.retryQueued();
        if (delay.isZero() || delay.isNegative()) {
            noteArrival(mail);
        } else {
            warnIfWaitedTooLong(mail);
        }
        outgoing.enQueue(mail, delay);
    }

    @Override
    public Publisher<MailQueueItem> deQueue() {
        return outgoing.deQueue();
    }

    @Override
    public void close() {
        // the queues belong to their factory, which closes them
    }

    private static void noteArrival(Mail mail) {
        QueueArrival.note(mail);
    }

    private void warnIfWaitedTooLong(Mail mail) throws MailQueueException {
        if (mail.getAttribute(WARNED).isPresent() || mail.getMaybeSender().isNullSender()
                || QueueArrival.note(mail).plus(settings.after()).isAfter(clock.instant())) {
            return;
        }
        mail.setAttribute(new Attribute(WARNED, AttributeValue.of(true)));
        try {
            MailImpl notice = MailImpl.duplicate(mail);
            try {
                notice.setState(settings.processor());
                spool.enQueue(notice);
            } finally {
                notice.dispose();
            }
            MailLog.LOGGER.info("{}: delay warning: {}", mail.getName(), notice.getName());
        } catch (MessagingException e) {
            throw new MailQueueException("could not queue the delay notification for " + mail.getName(), e);
        }
    }
}
