package org.maildeck.spool;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

import javax.inject.Inject;
import javax.mail.MessagingException;

import org.apache.james.lifecycle.api.LifecycleUtil;
import org.apache.james.mailrepository.api.MailKey;
import org.apache.james.mailrepository.api.MailRepository;
import org.apache.james.mailrepository.api.MailRepositoryStore;
import org.apache.james.mailrepository.api.MailRepositoryUrl;
import org.apache.james.queue.api.MailQueueFactory;
import org.apache.james.queue.api.ManageableMailQueue;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.maildeck.adminaccess.QueueId;
import org.maildeck.mailets.MailLog;

/**
 * What {@code maildeck queue} does (postqueue/postsuper): list the mail waiting in the spool and
 * outgoing queues and on hold, deliver deferred mail now, delete a message, put one on hold and
 * release it. Held mail sits in the mail repository {@code file://var/mail/hold/}, so it
 * survives restarts and no delivery attempt touches it; release puts it back into the queue it
 * was taken from.
 */
public class MailQueueAdmin {

    /** One message, queued or held. */
    public record QueuedMail(String id, String queue, boolean held, String sender, List<String> recipients,
                             long size, Optional<Instant> arrival, Optional<Instant> nextAttempt) {
    }

    public enum Outcome { DONE, NOT_FOUND, BUSY }

    static final MailRepositoryUrl HOLD = MailRepositoryUrl.from("file://var/mail/hold/");
    static final AttributeName HELD_FROM = AttributeName.of("org.maildeck.queue.heldFrom");

    private final MailQueueFactory<? extends ManageableMailQueue> queues;
    private final MailRepositoryStore repositories;

    @Inject
    public MailQueueAdmin(MailQueueFactory<? extends ManageableMailQueue> queues, MailRepositoryStore repositories) {
        this.queues = queues;
        this.repositories = repositories;
    }

    public List<QueuedMail> list() throws Exception {
        List<QueuedMail> all = new ArrayList<>();
        for (ManageableMailQueue queue : manageableQueues()) {
            ManageableMailQueue.MailQueueIterator items = queue.browse();
            try {
                while (items.hasNext()) {
                    ManageableMailQueue.MailQueueItemView item = items.next();
                    all.add(describeAndRelease(item.getMail(), queue.getName().asString(), false,
                        item.getNextDelivery().map(time -> time.toInstant())));
                }
            } finally {
                items.close();
            }
        }
        MailRepository hold = hold();
        for (Iterator<MailKey> keys = hold.list(); keys.hasNext(); ) {
            Mail mail = hold.retrieve(keys.next());
            if (mail != null) {
                all.add(describeAndRelease(mail, heldFrom(mail), true, Optional.empty()));
            }
        }
        return all;
    }

    /** Deferred mail is tried now (postqueue -f); returns how many messages that concerned. */
    public long flush() throws Exception {
        long flushed = 0;
        for (ManageableMailQueue queue : manageableQueues()) {
            flushed += queue.flush();
        }
        MailLog.LOGGER.info("queue flush requested: {} deferred messages scheduled for delivery now", flushed);
        return flushed;
    }

    public Outcome delete(String id, String by) throws Exception {
        if (!QueueId.isWellFormed(id)) {
            return Outcome.NOT_FOUND;
        }
        long removed = 0;
        for (ManageableMailQueue queue : manageableQueues()) {
            removed += queue.remove(ManageableMailQueue.Type.Name, id);
        }
        MailRepository hold = hold();
        Mail held = hold.retrieve(new MailKey(id));
        if (held != null) {
            LifecycleUtil.dispose(held);
            hold.remove(new MailKey(id));
            removed++;
        }
        if (removed == 0) {
            return Outcome.NOT_FOUND;
        }
        MailLog.LOGGER.info("{}: removed from the queue by {}", id, by);
        return Outcome.DONE;
    }

    public Outcome hold(String id, String by) throws Exception {
        if (!QueueId.isWellFormed(id)) {
            return Outcome.NOT_FOUND;
        }
        for (ManageableMailQueue queue : manageableQueues()) {
            Optional<Mail> queued = find(queue, id);
            if (queued.isEmpty()) {
                continue;
            }
            Mail mail = queued.get();
            mail.setAttribute(new Attribute(HELD_FROM, AttributeValue.of(queue.getName().asString())));
            // kept in the repository first: a crash in between leaves a copy in both, never none
            try {
                hold().store(mail);
            } finally {
                LifecycleUtil.dispose(mail);
            }
            if (queue.remove(ManageableMailQueue.Type.Name, id) == 0) {
                // taken for delivery meanwhile: it is on its way, not on hold
                hold().remove(new MailKey(id));
                return Outcome.BUSY;
            }
            MailLog.LOGGER.info("{}: placed on hold by {} (from queue {})", id, by, queue.getName().asString());
            return Outcome.DONE;
        }
        return Outcome.NOT_FOUND;
    }

    public Outcome release(String id, String by) throws Exception {
        if (!QueueId.isWellFormed(id)) {
            return Outcome.NOT_FOUND;
        }
        MailRepository hold = hold();
        Mail mail = hold.retrieve(new MailKey(id));
        if (mail == null) {
            return Outcome.NOT_FOUND;
        }
        String queueName = heldFrom(mail);
        mail.removeAttribute(HELD_FROM);
        ManageableMailQueue queue = manageableQueues().stream()
            .filter(candidate -> candidate.getName().asString().equals(queueName))
            .findFirst()
            .orElseThrow(() -> new MessagingException("no mail queue '" + queueName + "' to release " + id + " into"));
        // queued first: a crash in between delivers a copy twice at worst, never loses it
        try {
            queue.enQueue(mail);
        } finally {
            LifecycleUtil.dispose(mail);
        }
        hold.remove(new MailKey(id));
        MailLog.LOGGER.info("{}: released from hold by {} (into queue {})", id, by, queueName);
        return Outcome.DONE;
    }

    private Optional<Mail> find(ManageableMailQueue queue, String id) throws Exception {
        ManageableMailQueue.MailQueueIterator items = queue.browse();
        try {
            while (items.hasNext()) {
                Mail mail = items.next().getMail();
                if (mail.getName().equals(id)) {
                    return Optional.of(mail);
                }
                LifecycleUtil.dispose(mail);
            }
            return Optional.empty();
        } finally {
            items.close();
        }
    }

    private List<? extends ManageableMailQueue> manageableQueues() {
        return queues.listCreatedMailQueues().stream()
            .flatMap(name -> queues.getQueue(name).stream())
            .toList();
    }

    private MailRepository hold() throws Exception {
        return repositories.select(HOLD);
    }

    private static String heldFrom(Mail mail) {
        return mail.getAttribute(HELD_FROM).map(attribute -> attribute.getValue().value().toString()).orElse("spool");
    }

    /** The mail's description; the mail, read only for it, is released (James counts undisposed copies as leaks). */
    private static QueuedMail describeAndRelease(Mail mail, String queue, boolean held, Optional<Instant> nextAttempt)
            throws MessagingException {
        try {
            return describe(mail, queue, held, nextAttempt);
        } finally {
            LifecycleUtil.dispose(mail);
        }
    }

    private static QueuedMail describe(Mail mail, String queue, boolean held, Optional<Instant> nextAttempt) throws MessagingException {
        return new QueuedMail(mail.getName(), queue, held,
            mail.getMaybeSender().asString(""),
            mail.getRecipients().stream().map(Object::toString).toList(),
            mail.getMessageSize(),
            Optional.ofNullable(mail.getLastUpdated()).map(java.util.Date::toInstant),
            nextAttempt);
    }
}
