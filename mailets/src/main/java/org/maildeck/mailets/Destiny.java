package org.maildeck.mailets;

import java.time.ZonedDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

import javax.inject.Inject;
import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.apache.james.dnsservice.api.DNSService;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.maildeck.contentfilter.quarantine.Quarantine;
import org.maildeck.contentfilter.quarantine.QuarantineEntry;

/**
 * What happens to mail the content filter caught, per category, as amavisd-new's
 * {@code $final_virus_destiny} / {@code $final_banned_destiny}:
 * <ul>
 * <li>{@code pass}: delivered, with an {@code X-Maildeck-Alert} header naming what was found;</li>
 * <li>{@code discard}: accepted, quarantined, not delivered, nobody told;</li>
 * <li>{@code bounce}: accepted, quarantined, not delivered, a non-delivery notice to the sender
 *     (none when the sender is {@code <>});</li>
 * <li>{@code reject}: refused in the SMTP session where the listener scans during DATA; mail that
 *     was scanned after the queue is handled as {@code bounce}.</li>
 * </ul>
 * Parameters: {@code category} ({@code virus}, {@code banned} or {@code spam}), {@code destiny},
 * {@code quarantine} ({@code true} by default except for {@code pass}), {@code notify} (an address
 * told about every caught message, e.g. {@code postmaster@example.com}; none by default) and
 * {@code passProcessor} (where passed mail goes on, {@code transport} by default). One mail-log
 * line per recipient: {@code <id>: to=<rcpt>, relay=content-filter, status=discarded (virus: Eicar), quarantine=virus-...}.
 */
public class Destiny extends GenericMailet {

    /** The quarantine id, on the mail and as a header of what is delivered or released. */
    public static final AttributeName QUARANTINE_ID = AttributeName.of("org.maildeck.quarantine.id");

    /** What becomes of caught mail; the SMTP filter port ({@code smtpd.NextHopDelivery}) answers by it too. */
    public enum Fate {
        PASS, DISCARD, BOUNCE, REJECT;

        public static Fate named(String name) throws MessagingException {
            try {
                return valueOf(name.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new MessagingException("a destiny must be pass, discard, bounce or reject, not " + name);
            }
        }
    }

    private final Quarantine quarantine;
    private final DeliveryOutcomes outcomes;
    private final DNSService dns;
    private Category category;
    private Fate fate;
    private boolean quarantined;
    private Optional<MailAddress> notify;
    private String passProcessor;
    private MailerDaemon mailerDaemon;

    @Inject
    public Destiny(Quarantine quarantine, DeliveryOutcomes outcomes, DNSService dns) {
        this.quarantine = quarantine;
        this.outcomes = outcomes;
        this.dns = dns;
    }

    @Override
    public void init() throws MessagingException {
        category = Category.named(getInitParameter("category", ""));
        fate = Fate.named(getInitParameter("destiny", "discard"));
        quarantined = Boolean.parseBoolean(getInitParameter("quarantine", Boolean.toString(fate != Fate.PASS)));
        String notifyAddress = getInitParameter("notify", "").trim();
        notify = notifyAddress.isEmpty() ? Optional.empty() : Optional.of(new MailAddress(notifyAddress));
        passProcessor = getInitParameter("passProcessor", "transport");
        mailerDaemon = new MailerDaemon(getMailetContext(), dns);
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        String finding = category.finding(mail);
        Optional<QuarantineEntry> entry = quarantined ? Optional.of(store(mail, finding)) : Optional.empty();
        entry.ifPresent(kept -> mail.setAttribute(new Attribute(QUARANTINE_ID, AttributeValue.of(kept.id()))));
        notify.ifPresent(admin -> tellAdmin(admin, mail, finding, entry));
        if (fate == Fate.PASS) {
            pass(mail, finding, entry);
            return;
        }
        outcomes.keptByContentFilter(mail, fate != Fate.DISCARD, category, finding, entry.map(QuarantineEntry::id));
        if (fate != Fate.DISCARD) {
            bounce(mail, finding, entry);
        }
        mail.setState(Mail.GHOST);
    }

    private void pass(Mail mail, String finding, Optional<QuarantineEntry> entry) throws MessagingException {
        CaughtMail.markPassed(mail.getMessage(), category, finding, entry);
        MailLog.LOGGER.info("{}: {}: {}, destiny=pass{}", mail.getName(), category.label, finding, quarantineNote(entry));
        mail.setState(passProcessor);
    }

    private QuarantineEntry store(Mail mail, String finding) throws MessagingException {
        // not lost if it fails: the container sends a mail whose mailet failed to the error processor
        return CaughtMail.keepInQuarantine(quarantine, category, finding, mail);
    }

    private void bounce(Mail mail, String finding, Optional<QuarantineEntry> entry) throws MessagingException {
        Optional<MailAddress> sender = mail.getMaybeSender().asOptional();
        if (sender.isEmpty()) {
            MailLog.LOGGER.info("{}: no notice to sender <>", mail.getName());
            return;
        }
        String why = "It was refused because of its content. " + entry
            .map(kept -> "The message is kept in quarantine as " + kept.id() + "; ask the administrator if it was caught by mistake.")
            .orElse("The message was not kept.");
        DeliveryFailure failure = DeliveryFailure.from(category.reply(finding), "5.7.0");
        List<DeliveryReport.Recipient> recipients = mail.getRecipients().stream()
            .map(recipient -> new DeliveryReport.Recipient(recipient, failure))
            .toList();
        MimeMessage notice = new DeliveryReport(mailerDaemon.hostName(), mailerDaemon.address())
            .build(DeliveryReport.Action.FAILED, DeliveryReport.Undelivered.of(mail, sender.get()), recipients, Optional.of(why),
                ZonedDateTime.now());
        String noticeId = mailerDaemon.send(notice, sender.get());
        MailLog.LOGGER.info("{}: sender non-delivery notification: {}", mail.getName(), noticeId);
    }

    private void tellAdmin(MailAddress admin, Mail mail, String finding, Optional<QuarantineEntry> entry) {
        try {
            MimeMessage notice = new MimeMessage(mail.getMessage().getSession());
            notice.setFrom(mailerDaemon.address());
            notice.setRecipients(javax.mail.Message.RecipientType.TO, admin.asString());
            notice.setSubject("[Maildeck] " + category.label + " caught: " + finding);
            notice.setHeader("Auto-Submitted", "auto-generated");
            notice.setText("Queue id:   " + mail.getName() + "\n"
                + "Category:   " + category.label + "\n"
                + "Found:      " + finding + "\n"
                + "Destiny:    " + fate.name().toLowerCase(Locale.ROOT) + "\n"
                + "Sender:     <" + mail.getMaybeSender().asString("") + ">\n"
                + "Recipients: " + addresses(mail.getRecipients()) + "\n"
                + "Client:     " + Optional.ofNullable(mail.getRemoteAddr()).orElse("local") + "\n"
                + "Quarantine: " + entry.map(QuarantineEntry::id).orElse("not kept") + "\n", "UTF-8");
            notice.saveChanges();
            mailerDaemon.send(notice, admin);
        } catch (MessagingException e) {
            // the notice is a courtesy; the mail itself has been dealt with
            MailLog.LOGGER.warn("{}: warning: cannot notify {}: {}", mail.getName(), admin.asString(), e.getMessage());
        }
    }

    private static String quarantineNote(Optional<QuarantineEntry> entry) {
        return entry.map(kept -> ", quarantine=" + kept.id()).orElse("");
    }

    private static String addresses(Collection<MailAddress> recipients) {
        return recipients.stream().map(recipient -> "<" + recipient.asString() + ">").collect(Collectors.joining(", "));
    }

    @Override
    public String getMailetInfo() {
        return "Maildeck destiny for " + category.label + " mail: " + fate;
    }
}
