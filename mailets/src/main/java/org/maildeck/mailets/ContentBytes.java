package org.maildeck.mailets;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

/** A message as the bytes a scanner is given. */
final class ContentBytes {
    private ContentBytes() {
    }

    static byte[] of(MimeMessage message) throws MessagingException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            message.writeTo(out);
        } catch (IOException e) {
            throw new MessagingException("cannot read the message", e);
        }
        return out.toByteArray();
    }
}
