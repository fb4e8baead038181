package org.maildeck.mailets;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

import javax.mail.Session;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeMultipart;

import org.apache.james.core.MailAddress;
import org.junit.jupiter.api.Test;

class DeliveryReportTest {
    private static final ZonedDateTime NOW = ZonedDateTime.of(2026, 11, 21, 12, 0, 0, 0, ZoneOffset.UTC);
    private static final String ORIGINAL = "From: eve@remote.example\r\nTo: alice@local.example\r\nSubject: invoice\r\n"
        + "Message-ID: <1@remote.example>\r\n\r\nthe refused body\r\n";

    private String notice(DeliveryReport.Action action, Optional<String> why) throws Exception {
        MimeMessage original = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(ORIGINAL.getBytes(US_ASCII)));
        DeliveryFailure virus = DeliveryFailure.from("554 5.7.0 Virus found: Eicar", "5.0.0");
        MimeMessage notice = new DeliveryReport("mx.local.example", new InternetAddress("MAILER-DAEMON@mx.local.example", "Mail Delivery System"))
            .build(action, new DeliveryReport.Undelivered("Mail-42", new MailAddress("eve@remote.example"), NOW.minusHours(5).toInstant(), original),
                List.of(new DeliveryReport.Recipient(new MailAddress("alice@local.example"), virus),
                    new DeliveryReport.Recipient(new MailAddress("bob@local.example"), DeliveryFailure.from("4.4.1 connect to mx: refused", "4.0.0"))),
                why, NOW);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        notice.writeTo(out);
        return out.toString(US_ASCII);
    }

    private String failed() throws Exception {
        return notice(DeliveryReport.Action.FAILED, Optional.of("The message is kept in quarantine as virus-abcdefghijkl."));
    }

    @Test
    void isAMultipartReportOfTypeDeliveryStatusWithItsThreeParts() throws Exception {
        MimeMessage parsed = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(failed().getBytes(US_ASCII)));

        assertThat(parsed.getContentType()).startsWith("multipart/report").contains("report-type=delivery-status");
        MimeMultipart parts = (MimeMultipart) parsed.getContent();
        assertThat(parts.getCount()).isEqualTo(3);
        assertThat(parts.getBodyPart(0).getContentType()).startsWith("text/plain");
        assertThat(parts.getBodyPart(1).getContentType()).startsWith("message/delivery-status");
        assertThat(parts.getBodyPart(2).getContentType()).startsWith("text/rfc822-headers");
    }

    @Test
    void givesEachRecipientItsStatusAndDiagnostic() throws Exception {
        String notice = failed();

        assertThat(notice).contains("Reporting-MTA: dns; mx.local.example\r\n", "X-Maildeck-Queue-ID: Mail-42\r\n",
            "Arrival-Date: Sat, 21 Nov 2026 07:00:00 GMT\r\n");
        assertThat(notice).contains("Final-Recipient: rfc822; alice@local.example\r\nAction: failed\r\nStatus: 5.7.0\r\n"
            + "Diagnostic-Code: smtp; 554 5.7.0 Virus found: Eicar\r\n");
        assertThat(notice).contains("Final-Recipient: rfc822; bob@local.example\r\nAction: failed\r\nStatus: 4.4.1\r\n"
            + "Diagnostic-Code: X-Maildeck; connect to mx: refused\r\n");
    }

    @Test
    void returnsTheOriginalHeadersButNeverItsBody() throws Exception {
        String notice = failed();

        assertThat(notice).contains("Subject: invoice\r\n", "Message-ID: <1@remote.example>\r\n");
        assertThat(notice).doesNotContain("the refused body");
    }

    @Test
    void isAnAutomaticReplyFromTheMailerDaemonToTheSenderWordedAsPostfixWordsIt() throws Exception {
        String notice = failed();

        assertThat(notice).contains("From: Mail Delivery System <MAILER-DAEMON@mx.local.example>\r\n", "To: eve@remote.example\r\n",
            "Auto-Submitted: auto-replied\r\n", "Subject: Undelivered Mail Returned to Sender\r\n");
        assertThat(notice).containsPattern("Message-ID: <[^@>]+@mx\\.local\\.example>\r\n");
        assertThat(notice).contains("This is the mail system at host mx.local.example.",
            "I'm sorry to have to inform you that your message could not",
            "kept in quarantine as virus-abcdefghijkl",
            "<alice@local.example>: 554 5.7.0 Virus found: Eicar");
        assertThat(notice).doesNotContainIgnoringCase("james");
    }

    @Test
    void aDelayNoticeSaysItIsOnlyAWarning() throws Exception {
        String notice = notice(DeliveryReport.Action.DELAYED, Optional.empty());

        assertThat(notice).contains("Subject: Delayed Mail (still being retried)\r\n", "THIS IS A WARNING ONLY",
            "could not be delivered for 5.0 hours", "Action: delayed\r\n");
        assertThat(notice).doesNotContain("Action: failed");
    }
}
