package org.maildeck.mailets;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.james.server.core.MailImpl;
import org.apache.james.server.core.MimeMessageInputStream;
import org.apache.james.server.core.MimeMessageInputStreamSource;
import org.apache.james.server.core.MimeMessageWrapper;
import org.apache.mailet.Mail;

/**
 * A message as the bytes it was accepted with, under the headers as the pipeline has changed
 * them. Not {@link MimeMessage#writeTo}: once a header changed, James's message saves its changes
 * first, which parses the whole MIME structure again (a multipart whose boundary is never used
 * fails with "Missing start boundary") and may rewrite it; what is scanned, quarantined,
 * queued again or delivered must be the message as it came.
 */
public final class ContentBytes {
    private ContentBytes() {
    }

    static InputStream open(MimeMessage message) throws MessagingException {
        return new MimeMessageInputStream(message, true);
    }

    static void writeTo(MimeMessage message, OutputStream out) throws MessagingException, IOException {
        try (InputStream content = open(message)) {
            content.transferTo(out);
        }
    }

    /**
     * The message read back from its bytes as a new, unchanged message: James writes such a
     * message (into a queue) by copying its bytes, without saving changes first.
     */
    static MimeMessageWrapper reread(String name, MimeMessage message) throws MessagingException {
        try (InputStream content = open(message)) {
            return new MimeMessageWrapper(MimeMessageInputStreamSource.create(name, content));
        } catch (IOException e) {
            throw new MessagingException("cannot read " + name, e);
        }
    }

    /**
     * Before a queue writes {@code mail}: its message {@link #reread} when only its headers
     * changed, the one case where James's message would parse its body again to be written. A
     * message changed in its body is written as changed, an unchanged one as it came, either way.
     */
    public static void rereadIfHeadersChanged(Mail mail) throws MessagingException {
        if (mail.getMessage() instanceof MimeMessageWrapper message && message.isHeaderModified() && !message.isBodyModified()) {
            MimeMessageWrapper reread = reread(mail.getName(), message);
            if (mail instanceof MailImpl james) {
                // setMessage would copy the message once more
                james.setMessageNoCopy(reread);
            } else {
                mail.setMessage(reread);
            }
        }
    }

    static byte[] of(MimeMessage message) throws MessagingException {
        try (InputStream content = open(message)) {
            return content.readAllBytes();
        } catch (IOException e) {
            throw new MessagingException("cannot read the message", e);
        }
    }
}
