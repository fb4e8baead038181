package org.maildeck.mailets;

import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;

import javax.inject.Inject;
import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.apache.james.dnsservice.api.DNSService;
import org.apache.mailet.AttributeName;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;

/**
 * Tells the sender that its mail could not be delivered, or not yet, with a delivery status
 * notification (RFC 3464) as Postfix writes it ({@link DeliveryReport}), sent from {@code <>};
 * mail from {@code <>} (itself a notice) gets none. Maildeck's replacement for James's
 * {@code DSNBounce}, whose report puts the whole SMTP reply into {@code Status:}, names the
 * server "the James mail server" and, after the last retry, gives "Too many retries" as reason.
 * <p>
 * Each recipient's status and diagnostic come from, in this order: its own last failure
 * ({@link RecipientFailures}: the remote server's reply, or why no server was reached), the
 * reason James's RemoteDelivery leaves on the mail ({@code delivery-error}), the mail's error
 * message (e.g. the {@code notice} of a {@code ToProcessor}: {@code 550 5.1.1 No such user here}),
 * else {@code defaultStatus}. One mail-log line:
 * {@code <queue id>: sender non-delivery notification: <notice's queue id>} (or {@code delay}).
 * <p>
 * Parameters: {@code action} ({@code failed}, the default, or {@code delayed}),
 * {@code defaultStatus} ({@code 5.0.0}, or {@code 4.0.0} for {@code delayed}), {@code passThrough}
 * ({@code false}: the mail ends here; {@code true}: it goes on in its processor).
 */
public class DeliveryStatusNotice extends GenericMailet {

    /** James's RemoteDelivery: the failure that made it give up (Bouncer.DELIVERY_ERROR). */
    private static final AttributeName JAMES_DELIVERY_ERROR = AttributeName.of("delivery-error");

    private final DNSService dns;
    private DeliveryReport.Action action;
    private String defaultStatus;
    private boolean passThrough;
    private MailerDaemon mailerDaemon;

    @Inject
    public DeliveryStatusNotice(DNSService dns) {
        this.dns = dns;
    }

    @Override
    public void init() throws MessagingException {
        try {
            action = DeliveryReport.Action.named(getInitParameter("action", "failed"));
        } catch (IllegalArgumentException e) {
            throw new MessagingException("DeliveryStatusNotice: " + e.getMessage());
        }
        defaultStatus = getInitParameter("defaultStatus", action == DeliveryReport.Action.FAILED ? "5.0.0" : "4.0.0").trim();
        passThrough = getInitParameter("passThrough", false);
        mailerDaemon = new MailerDaemon(getMailetContext(), dns);
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        Optional<MailAddress> sender = mail.getMaybeSender().asOptional();
        if (sender.isEmpty()) {
            MailLog.LOGGER.info("{}: no notice to sender <>", mail.getName());
        } else if (!mail.getRecipients().isEmpty()) {
            String noticeId = mailerDaemon.send(notice(mail, sender.get()), sender.get());
            MailLog.LOGGER.info("{}: sender {} notification: {}", mail.getName(),
                action == DeliveryReport.Action.FAILED ? "non-delivery" : "delay", noticeId);
        }
        if (!passThrough) {
            mail.setState(Mail.GHOST);
        }
    }

    private MimeMessage notice(Mail mail, MailAddress sender) throws MessagingException {
        List<DeliveryReport.Recipient> recipients = mail.getRecipients().stream()
            .map(recipient -> new DeliveryReport.Recipient(recipient, failure(mail, recipient)))
            .toList();
        return new DeliveryReport(mailerDaemon.hostName(), mailerDaemon.address())
            .build(action, DeliveryReport.Undelivered.of(mail, sender), recipients, Optional.empty(), ZonedDateTime.now());
    }

    private DeliveryFailure failure(Mail mail, MailAddress recipient) {
        return RecipientFailures.of(mail, recipient).orElseGet(() -> DeliveryFailure.from(
            mail.getAttribute(JAMES_DELIVERY_ERROR).flatMap(attribute -> attribute.getValue().valueAs(String.class))
                .or(() -> Optional.ofNullable(mail.getErrorMessage()))
                .orElse(""),
            defaultStatus));
    }

    @Override
    public String getMailetInfo() {
        return "Maildeck delivery status notice (" + action.field() + ")";
    }
}
