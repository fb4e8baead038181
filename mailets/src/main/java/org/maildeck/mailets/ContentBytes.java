package org.maildeck.mailets;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.james.server.core.MimeMessageInputStream;
import org.apache.james.server.core.MimeMessageInputStreamSource;
import org.apache.james.server.core.MimeMessageWrapper;

/**
 * A message as the bytes it was accepted with, under the headers as the pipeline has changed
 * them. Not {@link MimeMessage#writeTo}: once a header changed, James's message saves its changes
 * first, which parses the whole MIME structure again (a multipart whose boundary is never used
 * fails with "Missing start boundary") and may rewrite it; what is scanned, quarantined,
 * queued again or delivered must be the message as it came.
 */
final class ContentBytes {
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
    static MimeMessage reread(String name, MimeMessage message) throws MessagingException {
        try (InputStream content = open(message)) {
            return new MimeMessageWrapper(MimeMessageInputStreamSource.create(name, content));
        } catch (IOException e) {
            throw new MessagingException("cannot read " + name, e);
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
