package org.maildeck.mailets.remote;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.maildeck.mailets.MailLog;

/**
 * The outgoing mail a RemoteDelivery thread is working on, for {@link MailLogSmtpTransport}, which
 * sees the SMTP conversation but not the mail. RemoteDelivery takes a mail from its queue, delivers
 * it and reports back to the queue item all on one thread, so the queue item opens and closes this
 * around the attempt (as James's own MDC key {@code mail} is set around it).
 */
public final class OutgoingDelivery {

    /** When the mail arrived, kept across retries: RemoteDelivery moves the mail's last-updated date on each retry. */
    static final AttributeName ARRIVED = AttributeName.of("org.maildeck.outgoing.arrived");

    private static final ThreadLocal<OutgoingDelivery> CURRENT = new ThreadLocal<>();

    private final String queueId;
    private final Instant arrived;
    private final List<String> recipients;

    private OutgoingDelivery(String queueId, Instant arrived, List<String> recipients) {
        this.queueId = queueId;
        this.arrived = arrived;
        this.recipients = recipients;
    }

    /** The current thread now delivers {@code mail}. */
    public static void begin(Mail mail) {
        CURRENT.set(new OutgoingDelivery(mail.getName(), arrival(mail),
            mail.getRecipients().stream().map(MailAddress::asString).collect(Collectors.toUnmodifiableList())));
    }

    public static void end() {
        CURRENT.remove();
    }

    /** None outside RemoteDelivery's attempts (any other JavaMail client in the server). */
    static Optional<OutgoingDelivery> current() {
        return Optional.ofNullable(CURRENT.get());
    }

    /** One line for each of the mail's recipients, for a failure before any recipient was named (connect). */
    void logEach(String relay, DeliveryStatus status, String reason) {
        recipients.forEach(recipient -> log(recipient, relay, status, reason));
    }

    /** {@code <queue id>: to=<rcpt>, relay=host[ip]:port, delay=1.25, status=sent (250 2.0.0 Ok)}. */
    void log(String recipient, String relay, DeliveryStatus status, String reason) {
        double delay = Duration.between(arrived, Instant.now()).toMillis() / 1000.0;
        MailLog.LOGGER.info("{}: to=<{}>, relay={}, delay={}, status={} ({})", queueId, recipient, relay,
            String.format(Locale.ROOT, "%.2f", delay), status.label(), reason);
    }

    /** As MaildirDelivery, the mail's last-updated date on its first attempt: when it was received. */
    private static Instant arrival(Mail mail) {
        return mail.getAttribute(ARRIVED)
            .flatMap(attribute -> attribute.getValue().valueAs(Long.class))
            .map(Instant::ofEpochMilli)
            .orElseGet(() -> {
                Instant arrived = Optional.ofNullable(mail.getLastUpdated()).map(Date::toInstant).orElseGet(Instant::now);
                mail.setAttribute(new Attribute(ARRIVED, AttributeValue.of(arrived.toEpochMilli())));
                return arrived;
            });
    }
}
