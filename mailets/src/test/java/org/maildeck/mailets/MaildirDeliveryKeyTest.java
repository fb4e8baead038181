package org.maildeck.mailets;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;

import javax.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.james.server.core.MailImpl;
import org.apache.james.server.core.MimeMessageInputStreamSource;
import org.apache.james.server.core.MimeMessageWrapper;
import org.apache.mailet.Mail;
import org.junit.jupiter.api.Test;

/**
 * The key under which the Maildir store remembers a delivery, so that the spool repeating a mail
 * after a crash does not store it twice. Messages are read from bytes, as the spool reads them.
 */
class MaildirDeliveryKeyTest {

    private static final String NAME = "Mail1795316297437-be806919-bfa5-4259-aa82-63e619c6b0a7";

    private static MimeMessageWrapper message(String text) throws MessagingException {
        return new MimeMessageWrapper(MimeMessageInputStreamSource.create("test", new ByteArrayInputStream(text.getBytes(ISO_8859_1))));
    }

    private static Mail receivedWith(String message, String... recipients) throws MessagingException {
        MailImpl.Builder mail = MailImpl.builder().name(NAME).sender("sender@client.test");
        for (String recipient : recipients) {
            mail.addRecipient(recipient);
        }
        MailImpl built = mail.mimeMessage(message(message)).build();
        // As the pipeline does before delivery: a header changed.
        built.getMessage().addHeader("X-Virus-Scanned", "ClamAV");
        return built;
    }

    private static Mail received(String... recipients) throws MessagingException {
        return receivedWith("Message-ID: <original@client.test>\r\nSubject: hi\r\n\r\nThe body.\r\n", recipients);
    }

    private static String key(Mail mail, String recipient) throws Exception {
        return MaildirDelivery.deliveryKey(mail, new MailAddress(recipient), "INBOX", MaildirDelivery.bodyDigest(mail.getMessage()));
    }

    @Test
    void aPartSplitOffByAMatcherHasTheKeyOfTheWholeMail() throws Exception {
        Mail whole = received("alice@example.com", "bob@remote.test");

        Mail localPart = MailImpl.duplicate(whole);

        assertThat(localPart.getName()).isNotEqualTo(whole.getName());
        assertThat(key(localPart, "alice@example.com")).isEqualTo(key(whole, "alice@example.com"));
    }

    @Test
    void theSplitAfterARestartHasTheKeyOfTheSplitBeforeIt() throws Exception {
        Mail whole = received("alice@example.com", "bob@remote.test");

        Mail beforeCrash = MailImpl.duplicate(MailImpl.duplicate(whole));
        Mail afterRestart = MailImpl.duplicate(MailImpl.duplicate(whole));

        assertThat(afterRestart.getName()).isNotEqualTo(beforeCrash.getName());
        assertThat(key(afterRestart, "alice@example.com")).isEqualTo(key(beforeCrash, "alice@example.com"));
    }

    @Test
    void splitsOfAMailWithoutMessageIdBeforeAndAfterARestartHaveTheSameKey() throws Exception {
        Mail whole = receivedWith("Subject: no id\r\n\r\nThe body.\r\n", "alice@example.com", "bob@remote.test");

        Mail beforeCrash = MailImpl.duplicate(whole);
        Mail afterRestart = MailImpl.duplicate(whole);

        assertThat(key(afterRestart, "alice@example.com")).isEqualTo(key(beforeCrash, "alice@example.com"));
    }

    @Test
    void aBounceOfTheMailToARecipientOfItHasAnotherKey() throws Exception {
        Mail whole = received("alice@example.com", "bob@remote.test");
        // As James's bounce mailets make it: the mail's name with a suffix, its attributes, a message of its own.
        MailImpl bounce = MailImpl.duplicateWithoutMessage(whole).build();
        bounce.setMessage(message("Message-ID: <bounce@maildeck.test>\r\nSubject: Undeliverable\r\n\r\nThe report.\r\n"));

        assertThat(key(bounce, "alice@example.com")).isNotEqualTo(key(whole, "alice@example.com"));
    }

    @Test
    void anotherRecipientOfTheSameMailHasAnotherKey() throws Exception {
        Mail whole = received("alice@example.com", "carol@example.com");

        assertThat(key(whole, "carol@example.com")).isNotEqualTo(key(whole, "alice@example.com"));
    }

    @Test
    void anotherFolderForTheSameRecipientHasAnotherKey() throws Exception {
        Mail whole = received("alice@example.com");
        MailAddress alice = new MailAddress("alice@example.com");
        String body = MaildirDelivery.bodyDigest(whole.getMessage());

        assertThat(MaildirDelivery.deliveryKey(whole, alice, "Junk", body))
            .isNotEqualTo(MaildirDelivery.deliveryKey(whole, alice, "INBOX", body));
    }

    @Test
    void theRecipientIsComparedWithoutCase() throws Exception {
        Mail whole = received("Alice@Example.com");

        assertThat(key(whole, "Alice@Example.com")).isEqualTo(key(whole, "alice@example.com"));
    }

    @Test
    void theBodyDigestIsNeverInTheOlderForm() throws Exception {
        Mail whole = received("alice@example.com");

        assertThat(MaildirDelivery.bodyDigest(whole.getMessage())).doesNotMatch("[0-9a-f]{16}");
    }

    @Test
    void theOlderBodyDigestIsTheStartOfTheSha256OfTheBody() throws Exception {
        Mail whole = received("alice@example.com");

        // printf 'The body.\r\n' | sha256sum
        assertThat(MaildirDelivery.olderBodyDigest(whole)).isEqualTo("bb8458caf61592f0");
    }
}
