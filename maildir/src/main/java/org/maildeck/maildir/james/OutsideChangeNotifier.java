package org.maildeck.maildir.james;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.Date;
import java.util.List;
import java.util.Optional;

import javax.inject.Inject;
import javax.inject.Singleton;
import javax.mail.Flags;

import org.apache.james.core.Username;
import org.apache.james.events.EventBus;
import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.MessageUid;
import org.apache.james.mailbox.ModSeq;
import org.apache.james.mailbox.events.MailboxIdRegistrationKey;
import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.model.Mailbox;
import org.apache.james.mailbox.model.MessageId;
import org.apache.james.mailbox.model.MessageMetaData;
import org.apache.james.mailbox.model.ThreadId;
import org.apache.james.mailbox.model.UpdatedFlags;
import org.apache.james.mailbox.store.event.EventFactory;
import org.maildeck.maildir.IndexEntry;
import org.maildeck.maildir.MaildirFolder;
import org.maildeck.maildir.MaildirStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Announces what other programs (Dovecot, procmail, an rsync) changed in folders that are in
 * use, as the mailbox events James's IMAP sessions listen to: new files become EXISTS, deleted
 * ones EXPUNGE, renamed ones FETCH FLAGS.
 */
@Singleton
public final class OutsideChangeNotifier {

    private static final Logger LOGGER = LoggerFactory.getLogger(OutsideChangeNotifier.class);
    /** No IMAP session has this id, so every session treats the change as someone else's. */
    private static final MailboxSession.SessionId OUTSIDE = MailboxSession.SessionId.of(-1);

    private final MaildirMailboxes mailboxes;
    private final EventBus eventBus;
    private final MessageId.Factory messageIds;

    @Inject
    public OutsideChangeNotifier(MaildirMailboxes mailboxes, EventBus eventBus, MessageId.Factory messageIds) {
        this.mailboxes = mailboxes;
        this.eventBus = eventBus;
        this.messageIds = messageIds;
    }

    /** Looks at the folders used in the last {@code activeWithinMillis} and announces their changes. */
    public void announceChanges(long activeWithinMillis) {
        MaildirStore store = mailboxes.store();
        for (MaildirFolder folder : store.activeFolders(activeWithinMillis)) {
            try {
                Optional<MaildirStore.FolderAddress> address = store.locate(folder);
                if (address.isEmpty()) {
                    continue;
                }
                List<MaildirFolder.Changes> changes = folder.drainOutsideChanges();
                if (changes.isEmpty()) {
                    continue;
                }
                Mailbox mailbox = mailboxes.mailbox(Username.of(address.get().username()), address.get().folderName());
                for (MaildirFolder.Changes change : changes) {
                    announce(folder, mailbox, change);
                }
            } catch (NoSuchFileException gone) {
                // deleted folder: nothing left to announce
            } catch (IOException | MailboxException | RuntimeException e) {
                LOGGER.warn("could not check {} for outside changes: {}", folder.directory(), e.toString());
            }
        }
    }

    private void announce(MaildirFolder folder, Mailbox mailbox, MaildirFolder.Changes change) throws IOException {
        Username owner = mailbox.getUser();
        MailboxIdRegistrationKey key = new MailboxIdRegistrationKey(mailbox.getMailboxId());
        if (!change.added().isEmpty()) {
            List<MessageMetaData> added = new java.util.ArrayList<>();
            for (IndexEntry entry : change.added()) {
                added.add(metaData(entry, folder.flagsOf(entry)));
            }
            eventBus.dispatch(EventFactory.added().randomEventId().user(owner).sessionId(OUTSIDE).mailbox(mailbox)
                .addMetaData(added).isDelivery(false).build(), key).block();
            LOGGER.info("{} new message(s) from outside in {} of {}", added.size(), mailbox.getName(), owner.asString());
        }
        if (!change.expunged().isEmpty()) {
            List<MessageMetaData> expunged = change.expunged().stream().map(entry -> metaData(entry, new Flags())).toList();
            eventBus.dispatch(EventFactory.expunged().randomEventId().user(owner).sessionId(OUTSIDE).mailbox(mailbox)
                .addMetaData(expunged).build(), key).block();
            LOGGER.info("{} message(s) removed from outside in {} of {}", expunged.size(), mailbox.getName(), owner.asString());
        }
        if (!change.flagChanges().isEmpty()) {
            List<UpdatedFlags> updated = new java.util.ArrayList<>();
            for (MaildirFolder.FlagChange flagChange : change.flagChanges()) {
                updated.add(UpdatedFlags.builder()
                    .uid(MessageUid.of(flagChange.after().uid()))
                    .modSeq(ModSeq.of(flagChange.after().modSeq()))
                    .oldFlags(folder.flagsOf(flagChange.before()))
                    .newFlags(folder.flagsOf(flagChange.after()))
                    .build());
            }
            eventBus.dispatch(EventFactory.flagsUpdated().randomEventId().user(owner).sessionId(OUTSIDE).mailbox(mailbox)
                .updatedFlags(updated).build(), key).block();
        }
    }

    private MessageMetaData metaData(IndexEntry entry, Flags flags) {
        MessageId messageId = messageIds.generate();
        long size = entry.virtualSize() >= 0 ? entry.virtualSize() : entry.size();
        return new MessageMetaData(MessageUid.of(entry.uid()), ModSeq.of(entry.modSeq()), flags, size,
            new Date(entry.internalDate()), Optional.empty(), messageId, new ThreadId(messageId));
    }
}
