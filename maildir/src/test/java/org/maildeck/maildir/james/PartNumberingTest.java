package org.maildeck.maildir.james;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;

import org.junit.jupiter.api.Test;

/** Section numbers of RFC 3501 §6.4.5 on the messages of Dovecot's imaptest fetch-body-message-rfc822* groups. */
class PartNumberingTest {

    private static final String SUBMESSAGE = "From: sub@domain.org\r\nSubject: submsg\r\n\r\nHello world\r\n";
    private static final String RFC822 = "From: user@domain.org\r\nContent-Type: message/rfc822\r\n\r\n" + SUBMESSAGE;
    private static final String RFC822_X2 = "From: user@domain.org\r\nContent-Type: message/rfc822\r\n\r\n"
        + "From: user2@domain.org\r\nContent-Type: message/rfc822\r\n\r\n" + SUBMESSAGE;
    private static final String DIGEST = "From: sub@domain.org\r\nContent-Type: multipart/digest; boundary=\"foo\"\r\n\r\n"
        + "prologue\r\n\r\n--foo \r\n\r\nFrom: m1@example.com\r\nSubject: m1\r\n\r\nm1 body\r\n\r\n"
        + "--foo \r\nX-Mime: m2 header\r\n\r\nFrom: m2@example.com\r\nSubject: m2\r\n\r\nm2 body\r\n\r\n--foo--\r\n\r\nepilogue\r\n";
    private static final String RFC822_DIGEST = "From: user@domain.org\r\nContent-Type: message/rfc822\r\n\r\n" + DIGEST;
    private static final String MIXED = "Subject: outer\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
        + "--b\r\nContent-Type: text/plain\r\n\r\nfirst\r\n"
        + "--b\r\nContent-Type: message/rfc822\r\n\r\n" + SUBMESSAGE
        + "--b--\r\n";

    private static PartNumbering.Part find(String message, int... positions) throws IOException {
        return PartNumbering.find(message.getBytes(US_ASCII), positions);
    }

    private static String body(PartNumbering.Part part) {
        return new String(part.body(), US_ASCII);
    }

    @Test
    void partOneOfAMessageRfc822MessageIsTheWholeAttachedMessage() throws IOException {
        assertThat(body(find(RFC822, 1))).isEqualTo(SUBMESSAGE);
    }

    @Test
    void headerAndTextOfPartOneAreThoseOfTheAttachedMessage() throws IOException {
        PartNumbering.Part attached = find(RFC822, 1).encapsulated();
        assertThat(attached.header()).extracting(header -> header.getName() + ": " + header.getValue())
            .containsExactly("From: sub@domain.org", "Subject: submsg");
        assertThat(body(attached)).isEqualTo("Hello world\r\n");
    }

    @Test
    void partOneOneIsTheBodyOfTheAttachedMessage() throws IOException {
        assertThat(body(find(RFC822, 1, 1))).isEqualTo("Hello world\r\n");
    }

    @Test
    void twiceAttachedMessagesAreNumberedOneLevelEach() throws IOException {
        assertThat(body(find(RFC822_X2, 1))).startsWith("From: user2@domain.org").endsWith(SUBMESSAGE);
        assertThat(body(find(RFC822_X2, 1, 1))).isEqualTo(SUBMESSAGE);
        assertThat(body(find(RFC822_X2, 1, 1, 1))).isEqualTo("Hello world\r\n");
        assertThat(find(RFC822_X2, 1).encapsulated().header()).extracting(header -> header.getName())
            .containsExactly("From", "Content-Type");
    }

    @Test
    void partsOfADigestAttachedAsTheMessageAreItsMessages() throws IOException {
        assertThat(body(find(RFC822_DIGEST, 1, 1))).isEqualTo("From: m1@example.com\r\nSubject: m1\r\n\r\nm1 body\r\n");
        assertThat(find(RFC822_DIGEST, 1, 1).header()).isEmpty();
        assertThat(find(RFC822_DIGEST, 1, 2).header()).extracting(header -> header.getValue()).containsExactly("m2 header");
        assertThat(find(RFC822_DIGEST, 1, 2).encapsulated().header()).extracting(header -> header.getValue())
            .containsExactly("m2@example.com", "m2");
        assertThat(body(find(RFC822_DIGEST, 1, 2).encapsulated())).isEqualTo("m2 body\r\n");
    }

    @Test
    void aMessageRfc822PartOfAMultipartHoldsTheAttachedMessage() throws IOException {
        assertThat(body(find(MIXED, 1))).isEqualTo("first");
        assertThat(body(find(MIXED, 2))).isEqualTo(SUBMESSAGE.substring(0, SUBMESSAGE.length() - 2));
        assertThat(body(find(MIXED, 2, 1))).isEqualTo("Hello world");
        assertThat(find(MIXED, 2).header()).extracting(header -> header.getValue()).containsExactly("message/rfc822");
    }

    @Test
    void aPartThatDoesNotExistIsEmpty() throws IOException {
        assertThat(find(MIXED, 3)).isSameAs(PartNumbering.Part.MISSING);
        assertThat(find(MIXED, 1, 1)).isSameAs(PartNumbering.Part.MISSING);
        assertThat(find(RFC822, 2)).isSameAs(PartNumbering.Part.MISSING);
    }
}
