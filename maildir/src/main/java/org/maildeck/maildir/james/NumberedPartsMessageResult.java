package org.maildeck.maildir.james;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.model.ByteContent;
import org.apache.james.mailbox.model.Content;
import org.apache.james.mailbox.model.Header;
import org.apache.james.mailbox.model.MessageResult;
import org.apache.james.mailbox.model.MimePath;

/**
 * A fetched message whose numbered sections ({@code BODY[1.2]}, {@code BODY[3.HEADER]},
 * {@code BODY[1.TEXT]}, {@code BODY[2.MIME]}) are found by {@link PartNumbering} instead of
 * James's {@code PartContentBuilder}; everything else is the message James loaded. The message is
 * read once, at the first section asked for, while the FETCH response is being built (before
 * anything of it is written), and each section is then bytes in memory, as James's were.
 */
final class NumberedPartsMessageResult extends ForwardingMessageResult {

    private final Map<MimePath, PartNumbering.Part> parts = new HashMap<>();
    private byte[] message;

    NumberedPartsMessageResult(MessageResult loaded) {
        super(loaded);
    }

    private PartNumbering.Part part(MimePath path) throws MailboxException {
        PartNumbering.Part part = parts.get(path);
        if (part == null) {
            try {
                if (message == null) {
                    try (InputStream content = loaded.getFullContent().getInputStream()) {
                        message = content.readAllBytes();
                    }
                }
                part = PartNumbering.find(message, path.getPositions());
            } catch (IOException e) {
                throw new MailboxException("Unable to read part " + path + " of message " + loaded.getUid(), e);
            }
            parts.put(path, part);
        }
        return part;
    }

    /** {@code BODY[path.HEADER]}, {@code BODY[path.HEADER.FIELDS ...]}: the header of the message a message/rfc822 part holds. */
    @Override
    public Iterator<Header> iterateHeaders(MimePath path) throws MailboxException {
        try {
            return part(path).encapsulated().header().iterator();
        } catch (IOException e) {
            throw new MailboxException("Unable to parse the message in part " + path, e);
        }
    }

    /** {@code BODY[path.MIME]}: the part's own header. */
    @Override
    public Iterator<Header> iterateMimeHeaders(MimePath path) throws MailboxException {
        return part(path).header().iterator();
    }

    /** {@code BODY[path.TEXT]}: the body of the message a message/rfc822 part holds. */
    @Override
    public Content getBody(MimePath path) throws MailboxException {
        try {
            return new ByteContent(part(path).encapsulated().body());
        } catch (IOException e) {
            throw new MailboxException("Unable to parse the message in part " + path, e);
        }
    }

    /** {@code BODY[path]}: the part's body, raw. */
    @Override
    public Content getMimeBody(MimePath path) throws MailboxException {
        return new ByteContent(part(path).body());
    }

    /** The part's MIME header and body. */
    @Override
    public Content getFullContent(MimePath path) throws MailboxException {
        return new ByteContent(part(path).whole());
    }
}
