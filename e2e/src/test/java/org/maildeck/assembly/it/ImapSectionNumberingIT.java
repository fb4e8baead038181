package org.maildeck.assembly.it;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Store;
import jakarta.mail.internet.MimeMessage;

/**
 * Section numbers of attached messages (RFC 9051 §6.4.5, as RFC 3501 §6.4.5): "a part of type
 * MESSAGE/RFC822 ... has nested part numbers, referring to parts of the MESSAGE part's body", and
 * a non-multipart message has only part 1, its body. So for a message whose own type is
 * message/rfc822, BODY[1] is the whole attached message, BODY[1.HEADER] and BODY[1.TEXT] its
 * header and text, BODY[1.1] the attached message's body. The messages and the expected answers
 * are those of Dovecot's imaptest groups fetch-body-message-rfc822, -x2 and -mime, and a
 * message/rfc822 part of a multipart/mixed message (RFC 3501's own example, part 3).
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ImapSectionNumberingIT {

    private static final String DOMAIN = "sections.maildeck.test";

    private static final String SUBMESSAGE = "From: sub@domain.org\r\n"
        + "Date: Sun, 12 Aug 2012 12:34:56 +0300\r\n"
        + "Subject: submsg\r\n"
        + "\r\n"
        + "Hello world\r\n";
    private static final String RFC822 = "From: user@domain.org\r\n"
        + "Date: Sat, 24 Mar 2007 23:00:00 +0200\r\n"
        + "Mime-Version: 1.0\r\n"
        + "Content-Type: message/rfc822\r\n"
        + "\r\n"
        + SUBMESSAGE;
    private static final String MIDDLE = "From: user2@domain.org\r\n"
        + "Date: Fri, 23 Mar 2007 11:22:33 +0200\r\n"
        + "Mime-Version: 1.0\r\n"
        + "Content-Type: message/rfc822\r\n"
        + "\r\n"
        + SUBMESSAGE;
    private static final String RFC822_X2 = "From: user@domain.org\r\n"
        + "Date: Sat, 24 Mar 2007 23:00:00 +0200\r\n"
        + "Mime-Version: 1.0\r\n"
        + "Content-Type: message/rfc822\r\n"
        + "\r\n"
        + MIDDLE;
    private static final String DIGEST = "From: sub@domain.org\r\n"
        + "Date: Sun, 12 Aug 2012 12:34:56 +0300\r\n"
        + "Subject: submsg\r\n"
        + "Content-Type: multipart/digest; boundary=\"foo\"\r\n"
        + "\r\n"
        + "prologue\r\n\r\n"
        + "--foo \r\n\r\n"
        + "From: m1@example.com\r\nSubject: m1\r\n\r\nm1 body\r\n\r\n"
        + "--foo \r\nX-Mime: m2 header\r\n\r\n"
        + "From: m2@example.com\r\nSubject: m2\r\n\r\nm2 body\r\n\r\n"
        + "--foo--\r\n\r\nepilogue\r\n";
    private static final String RFC822_DIGEST = "From: user@domain.org\r\n"
        + "Date: Sat, 24 Mar 2007 23:00:00 +0200\r\n"
        + "Mime-Version: 1.0\r\n"
        + "Content-Type: message/rfc822\r\n"
        + "\r\n"
        + DIGEST;
    private static final String MIXED = "From: user@domain.org\r\n"
        + "Subject: with an attached message\r\n"
        + "Mime-Version: 1.0\r\n"
        + "Content-Type: multipart/mixed; boundary=\"b1\"\r\n"
        + "\r\n"
        + "--b1\r\nContent-Type: text/plain\r\n\r\nsee the attached message\r\n"
        + "--b1\r\nContent-Type: message/rfc822\r\nContent-Description: forwarded\r\n\r\n"
        + SUBMESSAGE
        + "--b1--\r\n";

    @RegisterExtension
    static final TestServer maildeck = TestServer.shared();
    private static String user;
    private static long rfc822;
    private static long rfc822x2;
    private static long rfc822Digest;
    private static long mixed;

    @BeforeAll
    static void appendTheMessages() throws IOException {
        maildeck.domain(DOMAIN);
        user = maildeck.newUser("sections", DOMAIN);
        try (ImapWire imap = ImapWire.login(maildeck.instance(), user, TestServer.PASSWORD)) {
            rfc822 = appended(imap, RFC822);
            rfc822x2 = appended(imap, RFC822_X2);
            rfc822Digest = appended(imap, RFC822_DIGEST);
            mixed = appended(imap, MIXED);
        }
    }

    private static long appended(ImapWire imap, String message) throws IOException {
        String appendUid = imap.appendOk("INBOX", null, message.getBytes(US_ASCII)).codeText("APPENDUID").orElseThrow();
        return Long.parseLong(appendUid.split(" ")[1]);
    }

    /** The literal of {@code UID FETCH uid (BODY.PEEK[section])}. */
    private static String section(long uid, String section) throws IOException {
        try (ImapWire imap = ImapWire.login(maildeck.instance(), user, TestServer.PASSWORD)) {
            imap.ok("EXAMINE INBOX");
            ImapWire.Reply reply = imap.ok("UID FETCH " + uid + " (BODY.PEEK[" + section + "])");
            ImapWire.Response fetch = reply.responses("FETCH").get(0);
            return new String(fetch.literalAfter("BODY[" + section + "]"), US_ASCII);
        }
    }

    @Test
    void rfc9051_6_4_5_bodyOneOfAMessageRfc822MessageIsTheWholeAttachedMessage() throws IOException {
        assertThat(section(rfc822, "1")).isEqualTo(SUBMESSAGE);
    }

    @Test
    void rfc9051_6_4_5_bodyOneHeaderIsTheHeaderOfTheAttachedMessage() throws IOException {
        assertThat(section(rfc822, "1.HEADER"))
            .isEqualTo("From: sub@domain.org\r\nDate: Sun, 12 Aug 2012 12:34:56 +0300\r\nSubject: submsg\r\n\r\n");
    }

    @Test
    void rfc9051_6_4_5_bodyOneHeaderFieldsAreFieldsOfTheAttachedMessage() throws IOException {
        assertThat(section(rfc822, "1.HEADER.FIELDS (FROM SUBJECT X-FOO)"))
            .isEqualTo("From: sub@domain.org\r\nSubject: submsg\r\n\r\n");
    }

    @Test
    void rfc9051_6_4_5_bodyOneTextIsTheTextOfTheAttachedMessage() throws IOException {
        assertThat(section(rfc822, "1.TEXT")).isEqualTo("Hello world\r\n");
    }

    @Test
    void rfc9051_6_4_5_bodyOneOneIsTheBodyOfTheAttachedMessage() throws IOException {
        assertThat(section(rfc822, "1.1")).isEqualTo("Hello world\r\n");
    }

    @Test
    void rfc9051_6_4_5_eachAttachedMessageLevelAddsOneSectionNumber() throws IOException {
        assertThat(section(rfc822x2, "1")).isEqualTo(MIDDLE);
        assertThat(section(rfc822x2, "1.HEADER"))
            .isEqualTo("From: user2@domain.org\r\nDate: Fri, 23 Mar 2007 11:22:33 +0200\r\nMime-Version: 1.0\r\nContent-Type: message/rfc822\r\n\r\n");
        assertThat(section(rfc822x2, "1.1")).isEqualTo(SUBMESSAGE);
        assertThat(section(rfc822x2, "1.1.HEADER"))
            .isEqualTo("From: sub@domain.org\r\nDate: Sun, 12 Aug 2012 12:34:56 +0300\r\nSubject: submsg\r\n\r\n");
        assertThat(section(rfc822x2, "1.1.1")).isEqualTo("Hello world\r\n");
    }

    @Test
    void rfc9051_6_4_5_partsOfAnAttachedDigestAreItsMessages() throws IOException {
        assertThat(section(rfc822Digest, "1.1")).isEqualTo("From: m1@example.com\r\nSubject: m1\r\n\r\nm1 body\r\n");
        assertThat(section(rfc822Digest, "1.2.MIME")).isEqualTo("X-Mime: m2 header\r\n\r\n");
        assertThat(section(rfc822Digest, "1.2.HEADER")).isEqualTo("From: m2@example.com\r\nSubject: m2\r\n\r\n");
        assertThat(section(rfc822Digest, "1.2.TEXT")).isEqualTo("m2 body\r\n");
    }

    @Test
    void rfc9051_6_4_5_aMessageRfc822PartOfAMultipartHasTheAttachedMessagesParts() throws IOException {
        assertThat(section(mixed, "2")).isEqualTo(SUBMESSAGE.substring(0, SUBMESSAGE.length() - 2));
        assertThat(section(mixed, "2.MIME")).isEqualTo("Content-Type: message/rfc822\r\nContent-Description: forwarded\r\n\r\n");
        assertThat(section(mixed, "2.HEADER"))
            .isEqualTo("From: sub@domain.org\r\nDate: Sun, 12 Aug 2012 12:34:56 +0300\r\nSubject: submsg\r\n\r\n");
        assertThat(section(mixed, "2.TEXT")).isEqualTo("Hello world");
        assertThat(section(mixed, "2.1")).isEqualTo("Hello world");
    }

    @Test
    void jakartaMailReadsTheSubjectAndTextOfAnAttachedMessage() throws Exception {
        Store store = new Mailbox(maildeck.instance(), user, TestServer.PASSWORD).login();
        try {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            try {
                Message outer = ((jakarta.mail.UIDFolder) inbox).getMessageByUID(rfc822);
                Object content = outer.getContent();
                assertThat(content).isInstanceOf(MimeMessage.class);
                MimeMessage attached = (MimeMessage) content;
                assertThat(attached.getSubject()).isEqualTo("submsg");
                assertThat(new String(attached.getInputStream().readAllBytes(), US_ASCII)).isEqualTo("Hello world\r\n");
            } finally {
                inbox.close(false);
            }
        } finally {
            store.close();
        }
    }
}
