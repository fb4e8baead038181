package org.maildeck.mailets;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;

import javax.mail.internet.MimeMessage;

import org.apache.james.server.core.MimeMessageInputStreamSource;
import org.apache.james.server.core.MimeMessageWrapper;
import org.junit.jupiter.api.Test;

class ContentBytesTest {

    private static final String BODY = "--ABC\r\nContent-Type: text/plain\r\n\r\nThe parts use another boundary.\r\n--ABC--\r\n";

    private static MimeMessage accepted(String contentType) throws Exception {
        String raw = "Subject: hostile\r\nMIME-Version: 1.0\r\nContent-Type: " + contentType + "\r\n\r\n" + BODY;
        return new MimeMessageWrapper(MimeMessageInputStreamSource.create("test", new ByteArrayInputStream(raw.getBytes(ISO_8859_1))));
    }

    private static String written(MimeMessage message) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ContentBytes.writeTo(message, out);
        return out.toString(ISO_8859_1);
    }

    @Test
    void aMultipartWhoseBoundaryIsNeverUsedIsWrittenAsItCameUnderItsChangedHeaders() throws Exception {
        MimeMessage message = accepted("multipart/mixed; boundary=\"XYZ\"");
        message.addHeader("X-Virus-Scanned", "Maildeck (ClamAV 1.4.6)");

        assertThat(written(message)).contains("X-Virus-Scanned: Maildeck (ClamAV 1.4.6)\r\n").endsWith("\r\n\r\n" + BODY);
    }

    @Test
    void anUnbalancedQuotedBoundaryIsWrittenAsItCame() throws Exception {
        MimeMessage message = accepted("multipart/mixed; boundary=\"ABC");
        message.setHeader("X-Quarantine-ID", "virus-Zq3mB0x7TcKd");

        assertThat(written(message)).contains("Content-Type: multipart/mixed; boundary=\"ABC\r\n").endsWith("\r\n\r\n" + BODY);
    }

    @Test
    void theBytesAreTheSameAsWritten() throws Exception {
        MimeMessage message = accepted("multipart/mixed; boundary=\"XYZ\"");
        message.addHeader("X-Spam-Status", "No");

        assertThat(new String(ContentBytes.of(message), ISO_8859_1)).isEqualTo(written(message));
    }

    /** What a queue does with it: James's own writeTo, which would parse a changed message again. */
    @Test
    void aMessageReadBackFromItsBytesIsWrittenByJamesAsItCame() throws Exception {
        MimeMessage message = accepted("multipart/mixed; boundary=\"XYZ\"");
        message.removeHeader("X-Virus-Scanned");

        MimeMessage reread = ContentBytes.reread("mail", message);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        reread.writeTo(out);
        assertThat(out.toString(ISO_8859_1)).isEqualTo(new String(ContentBytes.of(message), ISO_8859_1)).endsWith("\r\n\r\n" + BODY);
    }
}
