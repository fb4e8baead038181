package org.maildeck.mailets.sieve;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import javax.mail.Address;
import javax.mail.Message;
import javax.mail.MessagingException;
import javax.mail.internet.AddressException;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeBodyPart;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.james.lifecycle.api.LifecycleUtil;
import org.apache.james.server.core.MailImpl;
import org.apache.james.transport.mailets.jsieve.ActionContext;
import org.apache.james.transport.mailets.jsieve.MailAction;
import org.apache.jsieve.mail.Action;
import org.apache.jsieve.mail.optional.ActionVacation;
import org.apache.mailet.Mail;

/**
 * {@code vacation} (RFC 5230): an auto-reply to the envelope sender, at most once per sender per
 * {@code :days} (at least one day, as Pigeonhole's {@code sieve_vacation_min_period}), remembered in
 * the recipient's home ({@link VacationMemory}).
 *
 * <p>No reply (RFC 5230 4.5, and Pigeonhole's checks) to the null sender, to an automatic
 * sender ({@code MAILER-DAEMON}, {@code owner-*}, {@code *-request}, {@code LISTSERV},
 * {@code majordomo}), to mail marked {@code Auto-Submitted} other than {@code no}, to list mail
 * ({@code List-Id} or another {@code List-*} field, {@code Precedence: bulk|list|junk}), to mail
 * that does not name the recipient (or one of {@code :addresses}) in To, Cc, Bcc or their
 * {@code Resent-} forms, nor to the recipient's own mail. Each decision is a mail-log line.</p>
 *
 * <p>The reply is sent with the null envelope sender and {@code Auto-Submitted: auto-replied}, so
 * that the other side's auto-responder stays quiet; From is {@code :from} or the recipient,
 * Subject {@code :subject} or {@code Auto: } and the original's subject; In-Reply-To and
 * References name the original.</p>
 */
final class Vacation implements MailAction {

    private static final List<String> AUTOMATIC_LOCALPARTS = List.of("mailer-daemon", "listserv", "majordomo");
    private static final List<String> ADDRESSED_FIELDS = List.of("To", "Cc", "Bcc", "Resent-To", "Resent-Cc", "Resent-Bcc");

    private final VacationMemory memory;

    Vacation(VacationMemory memory) {
        this.memory = memory;
    }

    @Override
    public void execute(Action action, Mail mail, ActionContext context) throws MessagingException {
        ActionVacation vacation = (ActionVacation) action;
        MailAddress recipient = context.getRecipient();
        Optional<String> refusal = whyNot(mail, vacation, recipient);
        if (refusal.isPresent()) {
            SieveLog.did(mail, recipient, "vacation: no reply (" + refusal.get() + ")");
            return;
        }
        MailAddress sender = mail.getMaybeSender().get();
        Duration period = Duration.ofDays(Math.max(1, vacation.getDuration()));
        try {
            if (!memory.firstReplyWithin(((RecipientMailAdapter) context).home(), sender.asString(), handle(vacation), period)) {
                SieveLog.did(mail, recipient, "vacation: no reply (<" + sender.asString() + "> answered within " + period.toDays() + "d)");
                return;
            }
        } catch (IOException e) {
            throw new MessagingException("vacation memory: " + e.getMessage(), e);
        }
        MailImpl reply = MailImpl.builder()
            .name(MailImpl.getId())
            .sender(MaybeSender.nullSender())
            .addRecipient(sender)
            .mimeMessage(reply(mail.getMessage(), vacation, recipient, sender))
            .build();
        try {
            context.post(reply);
        } finally {
            LifecycleUtil.dispose(reply);
        }
        SieveLog.did(mail, recipient, "vacation: replied to <" + sender.asString() + "> as " + reply.getName());
        SieveCounters.vacationReplySent();
    }

    static Optional<String> whyNot(Mail mail, ActionVacation vacation, MailAddress recipient) throws MessagingException {
        if (!mail.hasSender()) {
            return Optional.of("sender <>");
        }
        MailAddress sender = mail.getMaybeSender().get();
        String local = sender.getLocalPart().toLowerCase(Locale.ROOT);
        if (AUTOMATIC_LOCALPARTS.contains(local) || local.startsWith("owner-") || local.endsWith("-request")) {
            return Optional.of("automatic sender <" + sender.asString() + ">");
        }
        MimeMessage message = mail.getMessage();
        String autoSubmitted = first(message, "Auto-Submitted");
        if (autoSubmitted != null && !autoSubmitted.trim().toLowerCase(Locale.ROOT).startsWith("no")) {
            return Optional.of("Auto-Submitted: " + autoSubmitted.trim());
        }
        String precedence = first(message, "Precedence");
        if (precedence != null && List.of("bulk", "list", "junk").contains(precedence.trim().toLowerCase(Locale.ROOT))) {
            return Optional.of("Precedence: " + precedence.trim());
        }
        if (isListMail(message)) {
            return Optional.of("list mail");
        }
        List<String> mine = ownAddresses(vacation, recipient);
        if (mine.contains(sender.asString().toLowerCase(Locale.ROOT))) {
            return Optional.of("own mail");
        }
        if (!addressed(message, mine)) {
            return Optional.of("recipient not in To/Cc");
        }
        return Optional.empty();
    }

    private static boolean isListMail(MimeMessage message) throws MessagingException {
        var names = message.getAllHeaders();
        while (names.hasMoreElements()) {
            String name = names.nextElement().getName().toLowerCase(Locale.ROOT);
            if (name.startsWith("list-")) {
                return true;
            }
        }
        return false;
    }

    private static List<String> ownAddresses(ActionVacation vacation, MailAddress recipient) {
        List<String> mine = new ArrayList<>();
        mine.add(recipient.asString().toLowerCase(Locale.ROOT));
        for (String address : Optional.ofNullable(vacation.getAddresses()).orElse(List.of())) {
            mine.add(address.trim().toLowerCase(Locale.ROOT));
        }
        return mine;
    }

    private static boolean addressed(MimeMessage message, List<String> mine) throws MessagingException {
        for (String field : ADDRESSED_FIELDS) {
            String[] values = message.getHeader(field);
            if (values == null) {
                continue;
            }
            for (String value : values) {
                try {
                    for (InternetAddress address : InternetAddress.parseHeader(value, false)) {
                        if (address.getAddress() != null && mine.contains(address.getAddress().toLowerCase(Locale.ROOT))) {
                            return true;
                        }
                    }
                } catch (AddressException unparsable) {
                    // a field nobody can read names nobody
                }
            }
        }
        return false;
    }

    /** RFC 5230 4.2: without {@code :handle}, replies with other text are other replies. */
    private static String handle(ActionVacation vacation) {
        if (vacation.getHandle() != null) {
            return vacation.getHandle();
        }
        return String.valueOf(vacation.getSubject()) + '\0' + vacation.getFrom() + '\0' + vacation.getReason() + '\0' + vacation.getMime();
    }

    private static MimeMessage reply(MimeMessage original, ActionVacation vacation, MailAddress recipient, MailAddress sender)
            throws MessagingException {
        MimeMessage reply = new MimeMessage((javax.mail.Session) null);
        reply.setFrom(from(vacation, recipient));
        reply.setRecipient(Message.RecipientType.TO, new InternetAddress(sender.asString()));
        String subject = vacation.getSubject() != null ? vacation.getSubject()
            : "Auto: " + Optional.ofNullable(original.getSubject()).orElse("");
        reply.setSubject(subject, "UTF-8");
        String messageId = original.getMessageID();
        if (messageId != null) {
            reply.setHeader("In-Reply-To", messageId);
            String references = first(original, "References");
            reply.setHeader("References", references == null ? messageId : references + " " + messageId);
        }
        reply.setHeader("Auto-Submitted", "auto-replied");
        if (vacation.getMime() != null) {
            MimeBodyPart entity = new MimeBodyPart(new ByteArrayInputStream(vacation.getMime().getBytes(UTF_8)));
            try {
                reply.setContent(entity.getContent(), entity.getContentType());
            } catch (IOException e) {
                throw new MessagingException("vacation :mime reason: " + e.getMessage(), e);
            }
        } else {
            reply.setText(Optional.ofNullable(vacation.getReason()).orElse(""), "UTF-8");
        }
        reply.saveChanges();
        return reply;
    }

    private static Address from(ActionVacation vacation, MailAddress recipient) throws MessagingException {
        if (vacation.getFrom() != null) {
            try {
                return new InternetAddress(vacation.getFrom(), true);
            } catch (AddressException unusable) {
                // RFC 5230 4.4: an unusable :from falls back to the recipient
            }
        }
        return new InternetAddress(recipient.asString());
    }

    private static String first(MimeMessage message, String field) throws MessagingException {
        String[] values = message.getHeader(field);
        return values == null || values.length == 0 ? null : values[0];
    }
}
