package org.maildeck.mailets;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.Enumeration;

import javax.activation.DataHandler;
import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeBodyPart;
import javax.mail.internet.MimeMessage;
import javax.mail.util.ByteArrayDataSource;

import org.apache.james.core.MailAddress;
import org.apache.james.javax.MimeMultipartReport;

/**
 * A delivery status notification (RFC 3464) for mail refused because of its content: a readable
 * explanation, the machine-readable status per recipient, and the original's headers only (the
 * body is what was refused, so it is never sent back).
 */
final class NonDeliveryNotice {
    private static final DateTimeFormatter RFC_5322 = DateTimeFormatter.RFC_1123_DATE_TIME;

    private final String reportingMta;
    private final String from;

    NonDeliveryNotice(String reportingMta, String from) {
        this.reportingMta = reportingMta;
        this.from = from;
    }

    /**
     * @param reply      the SMTP reply the session would have given, e.g. {@code 554 5.7.0 Virus found: Eicar}
     * @param explanation one sentence for people, e.g. where the message is kept
     */
    MimeMessage build(String queueId, MailAddress sender, Collection<MailAddress> recipients, MimeMessage original,
                      String reply, String explanation, ZonedDateTime now) throws MessagingException {
        String status = reply.split(" ")[1];
        MimeMultipartReport report = new MimeMultipartReport();
        report.setReportType("delivery-status");
        report.addBodyPart(text(humanPart(recipients, reply, explanation)));
        report.addBodyPart(part(statusPart(queueId, recipients, reply, status, now), "message/delivery-status"));
        report.addBodyPart(part(headersOf(original), "text/rfc822-headers"));

        MimeMessage notice = new MimeMessage(Session.getInstance(new java.util.Properties()));
        notice.setFrom(new InternetAddress(from));
        notice.setRecipient(javax.mail.Message.RecipientType.TO, sender.toInternetAddress().orElseThrow());
        notice.setSubject("Undelivered Mail Returned to Sender");
        notice.setHeader("Auto-Submitted", "auto-replied");
        notice.setHeader("Date", RFC_5322.format(now));
        notice.setContent(report);
        notice.saveChanges();
        return notice;
    }

    private String humanPart(Collection<MailAddress> recipients, String reply, String explanation) {
        StringBuilder text = new StringBuilder()
            .append("This is the mail system at host ").append(reportingMta).append(".\r\n\r\n")
            .append("Your message was not delivered to the recipients below because of its content.\r\n")
            .append(explanation).append("\r\n\r\n");
        for (MailAddress recipient : recipients) {
            text.append('<').append(recipient.asString()).append(">: ").append(reply).append("\r\n");
        }
        return text.toString();
    }

    private String statusPart(String queueId, Collection<MailAddress> recipients, String reply, String status, ZonedDateTime now) {
        StringBuilder fields = new StringBuilder()
            .append("Reporting-MTA: dns; ").append(reportingMta).append("\r\n")
            .append("X-Maildeck-Queue-ID: ").append(queueId).append("\r\n")
            .append("Arrival-Date: ").append(RFC_5322.format(now)).append("\r\n");
        for (MailAddress recipient : recipients) {
            fields.append("\r\n")
                .append("Final-Recipient: rfc822; ").append(recipient.asString()).append("\r\n")
                .append("Action: failed\r\n")
                .append("Status: ").append(status).append("\r\n")
                .append("Diagnostic-Code: smtp; ").append(reply).append("\r\n");
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
        return part;
    }

    private static MimeBodyPart part(String content, String type) throws MessagingException {
        MimeBodyPart part = new MimeBodyPart();
        part.setDataHandler(new DataHandler(new ByteArrayDataSource(content.getBytes(UTF_8), type)));
        part.setHeader("Content-Type", type);
        return part;
    }
}
