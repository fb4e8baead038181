package org.maildeck.mailets.remote;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import org.apache.james.core.MailAddress;
import org.apache.mailet.AttributeName;
import org.apache.mailet.Mail;
import org.maildeck.mailets.DeliveryFailure;
import org.maildeck.mailets.DeliveryOutcomes;
import org.maildeck.mailets.Hop;
import org.maildeck.mailets.MailLog;
import org.maildeck.mailets.RecipientFailures;

/**
 * The outgoing mail a RemoteDelivery thread is working on, for {@link MailLogSmtpTransport}, which
 * sees the SMTP conversation but not the mail. RemoteDelivery takes a mail from its queue, delivers
 * it and reports back to the queue item all on one thread, so the queue item opens and closes this
 * around the attempt (as James's own MDC key {@code mail} is set around it).
 *
 * <p>A thread-local because the transport is a JavaMail provider: JavaMail makes it from the
 * session's properties, with no way to hand it the mail or anything else of the server's, and
 * RemoteDelivery passes only the message. {@link #current()} is the one way to read it.</p>
 */
public final class OutgoingDelivery {

    /** RemoteDelivery's verdict on a failed attempt (James's {@code Bouncer.IS_DELIVERY_PERMANENT_ERROR}). */
    private static final AttributeName DELIVERY_PERMANENT_ERROR = AttributeName.of("is-delivery-permanent-error");

    private static final ThreadLocal<OutgoingDelivery> CURRENT = new ThreadLocal<>();

    private final Mail mail;
    private final DeliveryOutcomes outcomes;
    private final String queueId;
    private final Instant arrived;
    private final List<String> recipients;
    private boolean logged;
    private boolean retryQueued;
    private Optional<String> lastConnectFailure = Optional.empty();

    private OutgoingDelivery(Mail mail, DeliveryOutcomes outcomes, Instant arrived) {
        this.mail = mail;
        this.outcomes = outcomes;
        this.queueId = mail.getName();
        this.arrived = arrived;
        this.recipients = mail.getRecipients().stream().map(MailAddress::asString).collect(Collectors.toUnmodifiableList());
    }

    /** The current thread now delivers {@code mail}, its outcomes recorded in {@code outcomes}. */
    public static void begin(Mail mail, DeliveryOutcomes outcomes) {
        // the verdict of an earlier attempt travels with the mail: only this attempt's may count in end()
        mail.removeAttribute(DELIVERY_PERMANENT_ERROR);
        CURRENT.set(new OutgoingDelivery(mail, outcomes, QueueArrival.note(mail)));
    }

    /**
     * The attempt is over. One that reached no server (no MX or A record for the domain, or no
     * server accepted the connection) gets its status lines now, from the verdict RemoteDelivery
     * left on the mail.
     */
    public static void end() {
        current().ifPresent(delivery -> {
            delivery.logUnreachedServer();
            delivery.logExpiry();
        });
        CURRENT.remove();
    }

    /** RemoteDelivery put the mail back in its queue for another attempt (the queue tells). */
    public static void retryQueued() {
        current().ifPresent(delivery -> delivery.retryQueued = true);
    }

    /**
     * Postfix's {@code status=expired}: the attempt failed temporarily, yet RemoteDelivery did not
     * queue the mail again, because it had used up its retries and bounced it instead. Without
     * this line the log would end on {@code status=deferred} for a mail that is gone.
     */
    private void logExpiry() {
        boolean temporaryFailure = permanentError().map(permanent -> !permanent).orElse(false);
        if (!temporaryFailure || retryQueued) {
            return;
        }
        outcomes.expired(mail);
    }

    private Optional<Boolean> permanentError() {
        return mail.getAttribute(DELIVERY_PERMANENT_ERROR).flatMap(attribute -> attribute.getValue().valueAs(Boolean.class));
    }

    /**
     * The statuses are Postfix's: a server that refused the connection 4.4.1 (5.4.1 once given
     * up), a domain without a usable MX or A record 4.4.3 (5.4.4 once given up).
     */
    private void logUnreachedServer() {
        if (logged) {
            return;
        }
        permanentError().ifPresent(permanent -> recipients.forEach(recipient -> log(recipient, "none",
                permanent ? DeliveryStatus.BOUNCED : DeliveryStatus.DEFERRED,
                lastConnectFailure.orElse("no mail server found for " + recipient.substring(recipient.lastIndexOf('@') + 1)),
                (permanent ? "5" : "4") + (lastConnectFailure.isPresent() ? ".4.1" : permanent ? ".4.4" : ".4.3"))));
    }

    /** None outside RemoteDelivery's attempts (any other JavaMail client in the server). */
    static Optional<OutgoingDelivery> current() {
        return Optional.ofNullable(CURRENT.get());
    }

    /**
     * As Postfix's smtp client: a server that refuses the connection is a line of its own, without
     * a status, since RemoteDelivery goes on to the next MX; the status comes with the attempt's end.
     */
    void connectFailed(String server, String reason) {
        String failure = "connect to " + server + ": " + reason;
        lastConnectFailure = Optional.of(failure);
        MailLog.LOGGER.info("{}: {}", queueId, failure);
    }

    /**
     * {@code <queue id>: to=<rcpt>, relay=host[ip]:port, delay=1.25, status=sent (250 2.0.0 Ok)}.
     * A recipient that did not get the mail keeps the reason for a later notice to the sender
     * ({@link RecipientFailures}), with {@code statusUnlessReply} as its status when the reason is
     * not a server's reply.
     */
    void log(String recipient, String relay, DeliveryStatus status, String reason, String statusUnlessReply) {
        if (status != DeliveryStatus.SENT) {
            RecipientFailures.record(mail, recipient, DeliveryFailure.from(reason, statusUnlessReply));
        }
        logged = true;
        Hop hop = Hop.remote(queueId, relay, arrived);
        switch (status) {
            case SENT -> outcomes.sent(hop, recipient, reason);
            case DEFERRED -> outcomes.deferred(hop, recipient, reason, Optional.empty());
            case BOUNCED -> outcomes.bounced(hop, recipient, reason);
        }
    }
}
