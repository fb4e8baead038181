package org.maildeck.spool;

import java.time.Duration;

import javax.mail.MessagingException;

import org.apache.james.queue.api.MailQueue;
import org.apache.james.queue.api.MailQueueName;
import org.apache.mailet.Mail;
import org.maildeck.mailets.ContentBytes;
import org.reactivestreams.Publisher;

import reactor.core.publisher.Mono;

/**
 * A queue of RemoteDelivery that takes each mail as its bytes were accepted, under its headers as
 * the pipeline changed them ({@link ContentBytes#rereadIfHeadersChanged}). The broker's queue
 * writes a message whose headers changed by saving its changes first, which parses the MIME
 * structure again: a multipart whose boundary is never used ("Missing start boundary") would fail
 * there and end in the error repository instead of being relayed as it came.
 */
final class AcceptedBytesQueue implements MailQueue {

    private final MailQueue queue;

    AcceptedBytesQueue(MailQueue queue) {
        this.queue = queue;
    }

    @Override
    public MailQueueName getName() {
        return queue.getName();
    }

    @Override
    public void enQueue(Mail mail) throws MailQueueException {
        queue.enQueue(asAccepted(mail));
    }

    @Override
    public void enQueue(Mail mail, Duration delay) throws MailQueueException {
        queue.enQueue(asAccepted(mail), delay);
    }

    @Override
    public Publisher<Void> enqueueReactive(Mail mail) {
        return Mono.fromCallable(() -> asAccepted(mail)).flatMap(accepted -> Mono.from(queue.enqueueReactive(accepted)));
    }

    @Override
    public Publisher<MailQueueItem> deQueue() {
        return queue.deQueue();
    }

    @Override
    public void close() {
        // the queues belong to their factory, which closes them
    }

    private static Mail asAccepted(Mail mail) throws MailQueueException {
        try {
            ContentBytes.rereadIfHeadersChanged(mail);
            return mail;
        } catch (MessagingException e) {
            throw new MailQueueException("cannot read " + mail.getName() + " as it was accepted", e);
        }
    }
}
