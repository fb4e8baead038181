package org.maildeck.mailets;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Properties;

import javax.mail.Session;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeMultipart;

import org.apache.james.core.MailAddress;
import org.junit.jupiter.api.Test;

class NonDeliveryNoticeTest {
    private static final ZonedDateTime NOW = ZonedDateTime.of(2026, 11, 21, 12, 0, 0, 0, ZoneOffset.UTC);
    private static final String ORIGINAL = "From: eve@remote.example\r\nTo: alice@local.example\r\nSubject: invoice\r\n"
        + "Message-ID: <1@remote.example>\r\n\r\nthe refused body\r\n";

    private String notice() throws Exception {
        MimeMessage original = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(ORIGINAL.getBytes(US_ASCII)));
        MimeMessage notice = new NonDeliveryNotice("mx.local.example", "MAILER-DAEMON@local.example").build("Mail-42",
            new MailAddress("eve@remote.example"), List.of(new MailAddress("alice@local.example"), new MailAddress("bob@local.example")),
            original, "554 5.7.0 Virus found: Eicar", "The message is kept in quarantine as virus-abcdefghijkl.", NOW);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        notice.writeTo(out);
        return out.toString(US_ASCII);
    }

    @Test
    void isAMultipartReportOfTypeDeliveryStatusWithItsThreeParts() throws Exception {
        MimeMessage parsed = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(notice().getBytes(US_ASCII)));

        assertThat(parsed.getContentType()).startsWith("multipart/report").contains("report-type=delivery-status");
        MimeMultipart parts = (MimeMultipart) parsed.getContent();
        assertThat(parts.getCount()).isEqualTo(3);
        assertThat(parts.getBodyPart(0).getContentType()).startsWith("text/plain");
        assertThat(parts.getBodyPart(1).getContentType()).startsWith("message/delivery-status");
        assertThat(parts.getBodyPart(2).getContentType()).startsWith("text/rfc822-headers");
    }

    @Test
    void givesEachRecipientAFailedStatusWithTheSmtpReply() throws Exception {
        String notice = notice();

        assertThat(notice).contains("Reporting-MTA: dns; mx.local.example\r\n");
        assertThat(notice).contains("Final-Recipient: rfc822; alice@local.example\r\nAction: failed\r\nStatus: 5.7.0\r\n"
            + "Diagnostic-Code: smtp; 554 5.7.0 Virus found: Eicar\r\n");
        assertThat(notice).contains("Final-Recipient: rfc822; bob@local.example\r\n");
    }

    @Test
    void returnsTheOriginalHeadersButNeverItsBody() throws Exception {
        String notice = notice();

        assertThat(notice).contains("Subject: invoice\r\n", "Message-ID: <1@remote.example>\r\n");
        assertThat(notice).doesNotContain("the refused body");
    }

    @Test
    void isAnAutomaticReplyFromTheMailerDaemonToTheSender() throws Exception {
        String notice = notice();

        assertThat(notice).contains("From: MAILER-DAEMON@local.example\r\n", "To: eve@remote.example\r\n",
            "Auto-Submitted: auto-replied\r\n", "Subject: Undelivered Mail Returned to Sender\r\n");
        assertThat(notice).contains("<alice@local.example>: 554 5.7.0 Virus found: Eicar", "kept in quarantine as virus-abcdefghijkl");
    }
}
