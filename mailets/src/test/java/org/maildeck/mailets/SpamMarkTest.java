package org.maildeck.mailets;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;

import org.apache.james.server.core.MailImpl;
import org.apache.james.server.core.MimeMessageInputStreamSource;
import org.apache.james.server.core.MimeMessageWrapper;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.Test;

class SpamMarkTest {

    private static Mail mailWithSubject(byte[] subjectField) throws Exception {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        raw.writeBytes(subjectField);
        raw.writeBytes("\r\n\r\nbody\r\n".getBytes(ISO_8859_1));
        MimeMessageWrapper message = new MimeMessageWrapper(
            MimeMessageInputStreamSource.create("test", new ByteArrayInputStream(raw.toByteArray())));
        return MailImpl.builder().name("mail").sender("sender@client.test").addRecipient("alice@example.com")
            .mimeMessage(message).build();
    }

    private static String written(Mail mail) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        mail.getMessage().writeTo(out);
        return out.toString(ISO_8859_1);
    }

    private static SpamMark spamMark(String prefix) throws Exception {
        SpamMark mark = new SpamMark(new ContentFilterCounters());
        mark.init(FakeMailetConfig.builder().mailetName("SpamMark").setProperty("subjectPrefix", prefix).build());
        return mark;
    }

    @Test
    void theRawBytesOfAn8BitSubjectFollowThePrefixUnchanged() throws Exception {
        byte[] subject = "Subject: Grüße".getBytes(UTF_8);
        Mail mail = mailWithSubject(subject);

        spamMark("***SPAM***").service(mail);

        assertThat(written(mail)).contains("Subject: ***SPAM*** " + new String(subject, ISO_8859_1).substring("Subject: ".length()) + "\r\n");
    }

    @Test
    void anEncodedWordSubjectStaysEncodedAfterThePrefix() throws Exception {
        Mail mail = mailWithSubject("Subject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?=".getBytes(ISO_8859_1));

        spamMark("***SPAM***").service(mail);

        assertThat(mail.getMessage().getSubject()).isEqualTo("***SPAM*** Grüße");
    }

    @Test
    void aNonAsciiPrefixIsWrittenAsAnEncodedWord() throws Exception {
        Mail mail = mailWithSubject("Subject: hello".getBytes(ISO_8859_1));

        spamMark("[Pourriel détecté]").service(mail);

        assertThat(mail.getMessage().getSubject()).isEqualTo("[Pourriel détecté] hello");
        assertThat(written(mail)).contains("Subject: =?UTF-8?");
    }

    @Test
    void aSubjectAlreadyPrefixedIsLeftAlone() throws Exception {
        Mail mail = mailWithSubject("Subject: ***SPAM*** hello".getBytes(ISO_8859_1));

        spamMark("***SPAM***").service(mail);

        assertThat(mail.getMessage().getSubject()).isEqualTo("***SPAM*** hello");
    }
}
