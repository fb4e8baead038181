package org.maildeck.mailets;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Date;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import javax.activation.DataHandler;
import javax.mail.Message;
import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeBodyPart;
import javax.mail.internet.MimeMessage;
import javax.mail.util.ByteArrayDataSource;

import org.apache.james.core.MailAddress;
import org.apache.james.javax.MimeMultipartReport;
import org.apache.mailet.Mail;
import org.maildeck.mailets.remote.QueueArrival;

/**
 * A delivery status notification (RFC 3464) as Postfix writes one: a {@code multipart/report}
 * with an explanation for people ("This is the mail system at host ..."), the machine-readable
 * status of each recipient ({@code Action}, {@code Status: 5.1.1}, {@code Diagnostic-Code}) and
 * the original's headers. The body is never returned: it may be what was refused, and it may be
 * large (Postfix returns it up to {@code bounce_size_limit}).
 */
final class DeliveryReport {

    private static final DateTimeFormatter RFC_5322 = DateTimeFormatter.RFC_1123_DATE_TIME;

    /** RFC 3464 2.3.3, the two actions this server reports. */
    enum Action {
        FAILED("failed", "Undelivered Mail Returned to Sender"),
        DELAYED("delayed", "Delayed Mail (still being retried)");

        private final String field;
        private final String subject;

        Action(String field, String subject) {
            this.field = field;
            this.subject = subject;
        }

        static Action named(String name) {
            for (Action action : values()) {
                if (action.field.equalsIgnoreCase(name.trim())) {
                    return action;
                }
            }
            throw new IllegalArgumentException("action must be failed or delayed, not " + name);
        }

        String field() {
            return field;
        }
    }

    /** One recipient of the report and why it did not get the message. */
    record Recipient(MailAddress address, DeliveryFailure failure) {
    }

    /** The mail reported on: its queue id, envelope sender, arrival here, and its message. */
    record Undelivered(String queueId, MailAddress sender, Instant arrival, MimeMessage original) {

        /** When the mail arrived: the outgoing queue's note, else when it was made (at its reception). */
        static Undelivered of(Mail mail, MailAddress sender) throws MessagingException {
            Instant arrival = QueueArrival.of(mail)
                .or(() -> Optional.ofNullable(mail.getLastUpdated()).map(Date::toInstant))
                .orElseGet(Instant::now);
            return new Undelivered(mail.getName(), sender, arrival, mail.getMessage());
        }
    }

    private final String reportingMta;
    private final InternetAddress from;

    DeliveryReport(String reportingMta, InternetAddress from) {
        this.reportingMta = reportingMta;
        this.from = from;
    }

    /**
     * @param why one paragraph for people after the general explanation (e.g. where a refused
     *            message is kept), or none
     */
    MimeMessage build(Action action, Undelivered mail, List<Recipient> recipients, Optional<String> why, ZonedDateTime now)
            throws MessagingException {
        MimeMultipartReport report = new MimeMultipartReport();
        report.setReportType("delivery-status");
        report.addBodyPart(text(humanPart(action, mail, recipients, why, now)));
        report.addBodyPart(part(statusPart(action, mail, recipients, now), "message/delivery-status"));
        report.addBodyPart(part(headersOf(mail.original()), "text/rfc822-headers"));

        java.util.Properties session = new java.util.Properties();
        // the Message-ID's domain
        session.setProperty("mail.host", reportingMta);
        MimeMessage notice = new MimeMessage(Session.getInstance(session));
        notice.setFrom(from);
        notice.setRecipient(Message.RecipientType.TO, mail.sender().toInternetAddress().orElseThrow());
        notice.setSubject(action.subject);
        notice.setHeader("Auto-Submitted", "auto-replied");
        notice.setHeader("Date", RFC_5322.format(now));
        notice.setContent(report);
        notice.saveChanges();
        return notice;
    }

    private String humanPart(Action action, Undelivered mail, List<Recipient> recipients, Optional<String> why, ZonedDateTime now) {
        StringBuilder text = new StringBuilder()
            .append("This is the mail system at host ").append(reportingMta).append(".\r\n\r\n");
        if (action == Action.FAILED) {
            text.append("I'm sorry to have to inform you that your message could not\r\n")
                .append("be delivered to one or more recipients. Its headers are attached below.\r\n\r\n");
        } else {
            text.append("####################################################################\r\n")
                .append("# THIS IS A WARNING ONLY.  YOU DO NOT NEED TO RESEND YOUR MESSAGE. #\r\n")
                .append("####################################################################\r\n\r\n")
                .append("Your message could not be delivered for ").append(waited(mail.arrival(), now)).append(".\r\n")
                .append("It is still queued and delivery will be retried; you will be told\r\n")
                .append("if it finally cannot be delivered.\r\n\r\n");
        }
        why.ifPresent(paragraph -> text.append(paragraph).append("\r\n\r\n"));
        text.append("For further assistance, please send mail to postmaster.\r\n\r\n")
            .append("If you do so, please include this problem report. You can\r\n")
            .append("delete your own text from the attached returned message.\r\n\r\n")
            .append("                   The mail system\r\n\r\n");
        for (Recipient recipient : recipients) {
            text.append('<').append(recipient.address().asString()).append(">: ")
                .append(recipient.failure().text().orElse(recipient.failure().status())).append("\r\n");
        }
        return text.toString();
    }

    private static String waited(Instant arrival, ZonedDateTime now) {
        Duration waited = Duration.between(arrival, now.toInstant());
        if (waited.toHours() >= 1) {
            return String.format(Locale.ROOT, "%.1f hours", waited.toMinutes() / 60.0);
        }
        long minutes = Math.max(0, waited.toMinutes());
        return minutes == 1 ? "1 minute" : minutes + " minutes";
    }

    /** RFC 3464 2.2 and 2.3: the per-message fields, then a block for each recipient. */
    private String statusPart(Action action, Undelivered mail, List<Recipient> recipients, ZonedDateTime now) {
        StringBuilder fields = new StringBuilder()
            .append("Reporting-MTA: dns; ").append(reportingMta).append("\r\n")
            .append("X-Maildeck-Queue-ID: ").append(mail.queueId()).append("\r\n")
            .append("X-Maildeck-Sender: rfc822; ").append(mail.sender().asString()).append("\r\n")
            .append("Arrival-Date: ").append(RFC_5322.format(mail.arrival().atZone(now.getZone()))).append("\r\n");
        for (Recipient recipient : recipients) {
            fields.append("\r\n")
                .append("Final-Recipient: rfc822; ").append(recipient.address().asString()).append("\r\n")
                .append("Action: ").append(action.field()).append("\r\n")
                .append("Status: ").append(recipient.failure().status()).append("\r\n");
            recipient.failure().diagnosticCode().ifPresent(code -> fields.append("Diagnostic-Code: ").append(code).append("\r\n"));
        }
        return fields.toString();
    }

    private static String headersOf(MimeMessage original) throws MessagingException {
        StringBuilder headers = new StringBuilder();
        for (Enumeration<String> lines = original.getAllHeaderLines(); lines.hasMoreElements(); ) {
            headers.append(lines.nextElement()).append("\r\n");
        }
        return headers.toString();
    }

    private static MimeBodyPart text(String content) throws MessagingException {
        MimeBodyPart part = new MimeBodyPart();
        part.setText(content, UTF_8.name());
        part.setDescription("Notification");
        return part;
    }

    private static MimeBodyPart part(String content, String type) throws MessagingException {
        MimeBodyPart part = new MimeBodyPart();
        part.setDataHandler(new DataHandler(new ByteArrayDataSource(content.getBytes(UTF_8), type)));
        part.setHeader("Content-Type", type);
        return part;
    }
}
