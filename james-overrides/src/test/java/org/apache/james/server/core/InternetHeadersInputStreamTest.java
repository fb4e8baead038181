package org.apache.james.server.core;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Collections;
import java.util.List;

import javax.mail.MessagingException;

import org.junit.jupiter.api.Test;

class InternetHeadersInputStreamTest {

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** The message as James holds it after reception, with a header added as our mailets add one. */
    private static byte[] receivedThenHeaderAdded(byte[] raw) throws MessagingException, IOException {
        MimeMessageWrapper message = new MimeMessageWrapper(
            MimeMessageInputStreamSource.create("test", new ByteArrayInputStream(raw)));
        message.addHeader("X-Virus-Scanned", "ClamAV");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        message.writeTo(out);
        return out.toByteArray();
    }

    @Test
    void rawUtf8HeaderBytesSurviveAHeaderChange() throws Exception {
        byte[] subject = "Subject: Grüße aus Köln\r\n".getBytes(UTF_8);
        byte[] raw = concat("From: a@example.com\r\n".getBytes(US_ASCII), subject, "\r\nbody\r\n".getBytes(US_ASCII));

        byte[] written = receivedThenHeaderAdded(raw);

        assertThat(new String(written, ISO_8859_1)).contains(new String(subject, ISO_8859_1));
    }

    @Test
    void rawLatin1HeaderBytesSurviveAHeaderChange() throws Exception {
        byte[] from = "From: Jürgen Müller <j@example.com>\r\n".getBytes(ISO_8859_1);
        byte[] raw = concat(from, "Subject: hi\r\n\r\nbody\r\n".getBytes(US_ASCII));

        byte[] written = receivedThenHeaderAdded(raw);

        assertThat(new String(written, ISO_8859_1)).contains(new String(from, ISO_8859_1));
    }

    @Test
    void theChangedHeaderEndsWithOneEmptyLineBeforeTheBody() throws Exception {
        byte[] raw = "Subject: hi\r\n\r\nbody line\r\n".getBytes(US_ASCII);

        String written = new String(receivedThenHeaderAdded(raw), US_ASCII);

        String header = written.substring(0, written.indexOf("\r\n\r\n") + 2);
        assertThat(header).contains("X-Virus-Scanned: ClamAV\r\n", "Subject: hi\r\n");
        assertThat(written.substring(header.length())).isEqualTo("\r\nbody line\r\n");
    }

    @Test
    void aCharAboveLatin1SetByCodeIsWrittenAsUtf8() throws IOException {
        byte[] bytes = new InternetHeadersInputStream(Collections.enumeration(List.of("X-Note: 日本"))).readAllBytes();

        assertThat(bytes).isEqualTo("X-Note: 日本\r\n\r\n".getBytes(UTF_8));
    }

    @Test
    void everyLineEndsWithCrlfAndTheLastIsFollowedByTheEmptyLine() throws IOException {
        byte[] bytes = new InternetHeadersInputStream(Collections.enumeration(List.of("A: 1", "B: 2"))).readAllBytes();

        assertThat(new String(bytes, US_ASCII)).isEqualTo("A: 1\r\nB: 2\r\n\r\n");
    }

    @Test
    void noHeaderLinesGiveNoBytes() throws IOException {
        byte[] bytes = new InternetHeadersInputStream(Collections.<String>emptyEnumeration()).readAllBytes();

        assertThat(bytes).isEmpty();
    }

    @Test
    void singleByteReadsGiveTheSameBytesAsBlockReads() throws IOException {
        List<String> lines = List.of("Subject: Gr\u00fc\u00dfe", "X-A: b");
        ByteArrayOutputStream oneByOne = new ByteArrayOutputStream();
        try (InternetHeadersInputStream in = new InternetHeadersInputStream(Collections.enumeration(lines))) {
            for (int b = in.read(); b != -1; b = in.read()) {
                oneByOne.write(b);
            }
        }

        assertThat(oneByOne.toByteArray())
            .isEqualTo(new InternetHeadersInputStream(Collections.enumeration(lines)).readAllBytes());
    }
}
