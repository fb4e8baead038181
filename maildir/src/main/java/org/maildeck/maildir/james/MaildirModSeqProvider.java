package org.maildeck.maildir.james;

import java.io.IOException;

import javax.inject.Inject;

import org.apache.james.mailbox.ModSeq;
import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.exception.MailboxNotFoundException;
import org.apache.james.mailbox.model.Mailbox;
import org.apache.james.mailbox.model.MailboxId;
import org.apache.james.mailbox.store.mail.ModSeqProvider;

/**
 * Mod-sequences live in each folder's index and are handed out by the folder with the change
 * they belong to; this provider reports the highest and the one that comes next.
 */
public final class MaildirModSeqProvider implements ModSeqProvider {

    private final MaildirMailboxes mailboxes;

    @Inject
    public MaildirModSeqProvider(MaildirMailboxes mailboxes) {
        this.mailboxes = mailboxes;
    }

    @Override
    public ModSeq nextModSeq(Mailbox mailbox) throws MailboxException {
        return highestModSeq(mailbox).next();
    }

    @Override
    public ModSeq nextModSeq(MailboxId mailboxId) throws MailboxException {
        return highestModSeq(mailboxId).next();
    }

    @Override
    public ModSeq highestModSeq(Mailbox mailbox) throws MailboxException {
        try {
            return ModSeq.of(mailboxes.folder(mailbox).highestModSeq());
        } catch (IOException e) {
            throw new MailboxException("cannot read the mod-sequence of " + mailbox.getName(), e);
        }
    }

    @Override
    public ModSeq highestModSeq(MailboxId mailboxId) throws MailboxException {
        MaildirMailboxId id = (MaildirMailboxId) mailboxId;
        String name = mailboxes.nameOf(id).orElseThrow(() -> new MailboxNotFoundException(mailboxId));
        return highestModSeq(mailboxes.mailbox(id.owner(), name));
    }
}
