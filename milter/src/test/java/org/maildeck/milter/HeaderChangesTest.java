package org.maildeck.milter;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.util.List;

import javax.mail.internet.MimeMessage;

import org.apache.james.server.core.MimeMessageInputStreamSource;
import org.apache.james.server.core.MimeMessageWrapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HeaderChangesTest {

    private static final List<ReceivedMessage.Header> RECEIVED = List.of(
        new ReceivedMessage.Header("Subject", "cheap"),
        new ReceivedMessage.Header("X-Spam-Flag", "NO"),
        new ReceivedMessage.Header("X-Virus-Scanned", "forged one"),
        new ReceivedMessage.Header("X-Virus-Scanned", "forged two"));

    private final List<MimeMessageWrapper> made = new java.util.ArrayList<>();

    private MimeMessage message(String text) throws Exception {
        MimeMessageWrapper message = new MimeMessageWrapper(MimeMessageInputStreamSource.create("test", new ByteArrayInputStream(text.getBytes(ISO_8859_1))));
        made.add(message);
        return message;
    }

    @AfterEach
    void releaseTheMessages() {
        made.forEach(MimeMessageWrapper::dispose);
    }

    @Test
    void forgedHeadersAreRemovedFromTheLastAndTheScansOwnAdded() throws Exception {
        MimeMessage scanned = message("Subject: cheap\r\nX-Virus-Scanned: Maildeck (ClamAV 1.4)\r\n\r\nbody\r\n");

        List<String> changes = HeaderChanges.between(RECEIVED, scanned).stream().map(MilterClient::describe).toList();

        assertThat(changes).containsExactly(
            "'m' 1 X-Spam-Flag: ",
            "'m' 2 X-Virus-Scanned: ",
            "'m' 1 X-Virus-Scanned: ",
            "'h' X-Virus-Scanned: Maildeck (ClamAV 1.4)");
    }

    @Test
    void taggedSubjectReplacesTheFirstSubject() throws Exception {
        MimeMessage scanned = message("Subject: ***SPAM*** cheap\r\n\r\nbody\r\n");

        List<String> changes = HeaderChanges.between(RECEIVED.subList(0, 1), scanned).stream().map(MilterClient::describe).toList();

        assertThat(changes).containsExactly("'m' 1 Subject: ***SPAM*** cheap");
    }

    @Test
    void removingOursBeforeTheScanLeavesOtherHeaders() throws Exception {
        MimeMessage received = message("Subject: x\r\nX-Spam-Status: Yes\r\nX-Maildeck-Alert: fake\r\nX-Other: y\r\n\r\nbody\r\n");

        HeaderChanges.removeOurs(received);

        assertThat(received.getHeader("X-Spam-Status")).isNull();
        assertThat(received.getHeader("X-Maildeck-Alert")).isNull();
        assertThat(received.getHeader("X-Other", null)).isEqualTo("y");
    }
}
