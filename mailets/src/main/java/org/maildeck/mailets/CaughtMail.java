package org.maildeck.mailets;

import java.io.IOException;
import java.util.Optional;

import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.maildeck.contentfilter.quarantine.Quarantine;
import org.maildeck.contentfilter.quarantine.QuarantineEntry;

/**
 * What is done to a mail the content filter caught, whoever carries out its destiny: the
 * pipeline's {@link Destiny} after the queue, or the milter before Postfix's queue. Both keep the
 * same quarantine copy and mark passed mail with the same headers.
 */
public final class CaughtMail {

    /** The quarantine id, as a header of what is delivered or released. */
    public static final String QUARANTINE_HEADER = "X-Quarantine-ID";
    /** What the filter found in mail it let pass. */
    public static final String ALERT_HEADER = "X-Maildeck-Alert";

    private CaughtMail() {
    }

    /** Keeps the message as accepted in the quarantine under {@code category}, with its envelope. */
    public static QuarantineEntry keepInQuarantine(Quarantine quarantine, Category category, String finding, Mail mail)
            throws MessagingException {
        String sender = mail.getMaybeSender().asOptional().map(MailAddress::asString).orElse("");
        try {
            return quarantine.put(category.label(), finding, sender,
                mail.getRecipients().stream().map(MailAddress::asString).toList(),
                out -> {
                    try {
                        ContentBytes.writeTo(mail.getMessage(), out);
                    } catch (MessagingException e) {
                        throw new IOException(e);
                    }
                });
        } catch (IOException | RuntimeException e) {
            throw new MessagingException("cannot quarantine " + mail.getName() + ": " + e.getMessage(), e);
        }
    }

    /** {@code X-Maildeck-Alert} naming the finding, and {@code X-Quarantine-ID} when a copy was kept. */
    public static void markPassed(MimeMessage message, Category category, String finding, Optional<QuarantineEntry> entry)
            throws MessagingException {
        message.setHeader(ALERT_HEADER, category.alert(finding));
        if (entry.isPresent()) {
            message.setHeader(QUARANTINE_HEADER, entry.get().id());
        }
    }
}
