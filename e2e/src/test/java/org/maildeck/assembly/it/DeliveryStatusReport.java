package org.maildeck.assembly.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;

/**
 * A delivery status notification as a mail client reads it (RFC 3462 and 3464), parsed with
 * Jakarta Mail: the report's type, its text for people, its per-message fields and a block of
 * fields per recipient. Parsing fails on anything that is not such a report.
 */
record DeliveryStatusReport(MimeMessage message, String humanText, InternetHeaders perMessage, List<InternetHeaders> perRecipient) {

    static DeliveryStatusReport parse(String raw) throws MessagingException, IOException {
        MimeMessage message = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(raw.getBytes(ISO_8859_1)));
        ContentType type = new ContentType(message.getContentType());
        if (!type.match("multipart/report") || !"delivery-status".equalsIgnoreCase(type.getParameter("report-type"))) {
            throw new MessagingException("not a delivery status report: " + message.getContentType());
        }
        // parsed from its bytes: through getContent() Jakarta Mail would pick the server's javax.mail handlers on this class path
        MimeMultipart parts = new MimeMultipart(new ByteArrayDataSource(message.getInputStream(), message.getContentType()));
        if (parts.getCount() < 2 || !parts.getBodyPart(1).isMimeType("message/delivery-status")) {
            throw new MessagingException("no message/delivery-status second part");
        }
        String human;
        try (InputStream text = parts.getBodyPart(0).getInputStream()) {
            human = new String(text.readAllBytes(), UTF_8);
        }
        try (InputStream status = parts.getBodyPart(1).getInputStream()) {
            InternetHeaders perMessage = new InternetHeaders(status);
            List<InternetHeaders> perRecipient = new ArrayList<>();
            for (InternetHeaders block = new InternetHeaders(status); block.getAllHeaderLines().hasMoreElements();
                    block = new InternetHeaders(status)) {
                perRecipient.add(block);
            }
            return new DeliveryStatusReport(message, human, perMessage, Collections.unmodifiableList(perRecipient));
        }
    }

    /** The one value of a per-message field, or null. */
    String field(String name) {
        return perMessage.getHeader(name, null);
    }

    /** The fields of the recipient whose {@code Final-Recipient} is {@code rfc822; <address>}. */
    InternetHeaders recipient(String address) {
        return perRecipient.stream()
            .filter(block -> ("rfc822; " + address).equalsIgnoreCase(block.getHeader("Final-Recipient", null)))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no Final-Recipient rfc822; " + address + " in the report"));
    }
}
