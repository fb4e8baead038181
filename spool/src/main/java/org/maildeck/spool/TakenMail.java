package org.maildeck.spool;

import javax.jms.JMSException;

import org.apache.james.queue.api.MailQueue.MailQueueException;
import org.apache.james.queue.api.MailQueue.MailQueueItem;
import org.apache.mailet.Mail;

/** A mail taken off the queue in its receiver's transaction: done commits it, or rolls it back. */
final class TakenMail implements MailQueueItem {

    private final Mail mail;
    private final DequeueConsumers.Receiver receiver;

    TakenMail(Mail mail, DequeueConsumers.Receiver receiver) {
        this.mail = mail;
        this.receiver = receiver;
    }

    @Override
    public Mail getMail() {
        return mail;
    }

    @Override
    public void done(CompletionStatus status) throws MailQueueException {
        if (status != CompletionStatus.SUCCESS) {
            receiver.rollback();
            return;
        }
        try {
            receiver.commit();
        } catch (JMSException e) {
            throw new MailQueueException("Unable to commit dequeue operation for mail " + mail.getName(), e);
        }
    }
}
