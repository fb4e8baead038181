package org.maildeck.maildir.james;

import javax.inject.Inject;
import javax.inject.Singleton;

import org.apache.commons.lang3.NotImplementedException;
import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.model.MessageId;
import org.apache.james.mailbox.store.MailboxSessionMapperFactory;
import org.apache.james.mailbox.store.mail.AnnotationMapper;
import org.apache.james.mailbox.store.mail.MailboxMapper;
import org.apache.james.mailbox.store.mail.MessageIdMapper;
import org.apache.james.mailbox.store.mail.MessageMapper;
import org.apache.james.mailbox.store.mail.ModSeqProvider;
import org.apache.james.mailbox.store.mail.UidProvider;
import org.apache.james.mailbox.store.user.SubscriptionMapper;

/** The Maildir store's mappers, one set per mailbox session as James expects. */
@Singleton
public final class MaildirMailboxSessionMapperFactory extends MailboxSessionMapperFactory {

    private final MaildirMailboxes mailboxes;
    private final MessageId.Factory messageIds;
    private final MaildirUidProvider uidProvider;
    private final MaildirModSeqProvider modSeqProvider;

    @Inject
    public MaildirMailboxSessionMapperFactory(MaildirMailboxes mailboxes, MessageId.Factory messageIds,
                                              MaildirUidProvider uidProvider, MaildirModSeqProvider modSeqProvider) {
        this.mailboxes = mailboxes;
        this.messageIds = messageIds;
        this.uidProvider = uidProvider;
        this.modSeqProvider = modSeqProvider;
    }

    MaildirMailboxes mailboxes() {
        return mailboxes;
    }

    @Override
    public AnnotationMapper createAnnotationMapper(MailboxSession session) {
        return new MaildirAnnotationMapper(mailboxes);
    }

    @Override
    public MessageMapper createMessageMapper(MailboxSession session) {
        return new MaildirMessageMapper(mailboxes, session, messageIds);
    }

    /**
     * A Maildir has no index from message ids to folders (JMAP's view). Like James's own JPA
     * store, this store does not offer it; IMAP, POP3 and delivery never ask for it.
     */
    @Override
    public MessageIdMapper createMessageIdMapper(MailboxSession session) {
        throw new NotImplementedException("the Maildir store has no message-id index (JMAP is not supported)");
    }

    @Override
    public MailboxMapper createMailboxMapper(MailboxSession session) {
        return new MaildirMailboxMapper(mailboxes);
    }

    @Override
    public SubscriptionMapper createSubscriptionMapper(MailboxSession session) {
        return new MaildirSubscriptionMapper(mailboxes.store());
    }

    @Override
    public UidProvider getUidProvider() {
        return uidProvider;
    }

    @Override
    public ModSeqProvider getModSeqProvider() {
        return modSeqProvider;
    }
}
