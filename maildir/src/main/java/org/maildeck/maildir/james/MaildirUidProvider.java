package org.maildeck.maildir.james;

import java.io.IOException;
import java.util.Optional;

import javax.inject.Inject;

import org.apache.james.mailbox.MessageUid;
import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.exception.MailboxNotFoundException;
import org.apache.james.mailbox.model.Mailbox;
import org.apache.james.mailbox.model.MailboxId;
import org.apache.james.mailbox.store.mail.UidProvider;

/**
 * UIDs come from {@code dovecot-uidlist}, and the folder hands them out only when a file is
 * stored. This provider answers questions about them; it cannot reserve a UID without a file.
 */
public final class MaildirUidProvider implements UidProvider {

    private final MaildirMailboxes mailboxes;

    @Inject
    public MaildirUidProvider(MaildirMailboxes mailboxes) {
        this.mailboxes = mailboxes;
    }

    @Override
    public MessageUid nextUid(Mailbox mailbox) throws MailboxException {
        try {
            return MessageUid.of(mailboxes.folder(mailbox).nextUid());
        } catch (IOException e) {
            throw new MailboxException("cannot read the next UID of " + mailbox.getName(), e);
        }
    }

    @Override
    public Optional<MessageUid> lastUid(Mailbox mailbox) throws MailboxException {
        long next = nextUid(mailbox).asLong();
        return next > 1 ? Optional.of(MessageUid.of(next - 1)) : Optional.empty();
    }

    @Override
    public MessageUid nextUid(MailboxId mailboxId) throws MailboxException {
        MaildirMailboxId id = (MaildirMailboxId) mailboxId;
        String name = mailboxes.nameOf(id).orElseThrow(() -> new MailboxNotFoundException(mailboxId));
        return nextUid(mailboxes.mailbox(id.owner(), name));
    }
}
