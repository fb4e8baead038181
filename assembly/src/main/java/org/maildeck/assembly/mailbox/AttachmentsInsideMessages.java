package org.maildeck.assembly.mailbox;

import java.io.InputStream;

import org.apache.james.mailbox.AttachmentContentLoader;
import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.exception.AttachmentNotFoundException;
import org.apache.james.mailbox.model.AttachmentMetadata;

/**
 * A Maildir keeps attachments inside the message files; the store reports no separately stored
 * attachments, so James never has one to load. Asked anyway, it says there is none.
 */
final class AttachmentsInsideMessages implements AttachmentContentLoader {

    @Override
    public InputStream load(AttachmentMetadata attachment, MailboxSession session) throws AttachmentNotFoundException {
        throw new AttachmentNotFoundException(attachment.getAttachmentId().getId()
            + ": the Maildir store keeps attachments inside their messages");
    }
}
