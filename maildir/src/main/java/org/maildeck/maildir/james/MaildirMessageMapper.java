package org.maildeck.maildir.james;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Date;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.mail.Flags;

import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.MessageUid;
import org.apache.james.mailbox.ModSeq;
import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.model.ComposedMessageId;
import org.apache.james.mailbox.model.ComposedMessageIdWithMetaData;
import org.apache.james.mailbox.model.Mailbox;
import org.apache.james.mailbox.model.MailboxCounters;
import org.apache.james.mailbox.model.MessageId;
import org.apache.james.mailbox.model.MessageMetaData;
import org.apache.james.mailbox.model.MessageRange;
import org.apache.james.mailbox.model.ThreadId;
import org.apache.james.mailbox.model.UpdatedFlags;
import org.apache.james.mailbox.store.FlagsUpdateCalculator;
import org.apache.james.mailbox.store.mail.MessageMapper;
import org.apache.james.mailbox.store.mail.model.MailboxMessage;
import org.maildeck.maildir.DovecotKeywords;
import org.maildeck.maildir.FolderStatus;
import org.maildeck.maildir.IndexEntry;
import org.maildeck.maildir.MaildirFolder;
import org.reactivestreams.Publisher;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Messages of Maildir folders for James. Reads come from the folder index; every change is a
 * file operation of {@link MaildirFolder} (write-and-rename, rename, link, unlink).
 */
public final class MaildirMessageMapper implements MessageMapper {

    private final MaildirMailboxes mailboxes;
    private final MailboxSession session;
    private final MessageId.Factory messageIds;

    MaildirMessageMapper(MaildirMailboxes mailboxes, MailboxSession session, MessageId.Factory messageIds) {
        this.mailboxes = mailboxes;
        this.session = session;
        this.messageIds = messageIds;
    }

    private MaildirFolder folder(Mailbox mailbox) throws MailboxException {
        return mailboxes.folder(mailbox);
    }

    private static MailboxException failure(String what, Mailbox mailbox, IOException e) {
        return new MailboxException(what + " in " + mailbox.getName() + " failed: " + e.getMessage(), e);
    }

    private MaildirMessage message(MaildirFolder folder, Mailbox mailbox, IndexEntry entry) throws IOException {
        return new MaildirMessage(folder, mailbox.getMailboxId(), messageIds.generate(), entry, folder.flagsOf(entry));
    }

    private List<IndexEntry> entries(MaildirFolder folder, MessageRange range) throws IOException {
        folder.sync();
        return folder.entries(range.getUidFrom().asLong(), range.getUidTo().asLong());
    }

    @Override
    public Iterator<MailboxMessage> findInMailbox(Mailbox mailbox, MessageRange set, FetchType type, int limit) throws MailboxException {
        MaildirFolder folder = folder(mailbox);
        try {
            List<MailboxMessage> messages = new ArrayList<>();
            for (IndexEntry entry : entries(folder, set)) {
                if (limit > 0 && messages.size() >= limit) {
                    break;
                }
                messages.add(message(folder, mailbox, entry));
            }
            return messages.iterator();
        } catch (IOException e) {
            throw failure("reading messages", mailbox, e);
        }
    }

    /**
     * The flags, UIDs and mod-sequences of a range straight from the folder index, for FETCH of
     * FLAGS/UID alone: James's default makes a whole message object per entry first, then copies
     * its flags into this record, the better part of the per-message cost of such a FETCH.
     */
    @Override
    public Flux<ComposedMessageIdWithMetaData> listMessagesMetadata(Mailbox mailbox, MessageRange set) {
        return metadata(mailbox, set, true);
    }

    /** The same as the folder's index holds it now, without a sync first: see {@link FlagsFromIndex}. */
    Flux<ComposedMessageIdWithMetaData> metadataAsIndexed(Mailbox mailbox, MessageRange set) {
        return metadata(mailbox, set, false);
    }

    private Flux<ComposedMessageIdWithMetaData> metadata(Mailbox mailbox, MessageRange set, boolean syncFirst) {
        return Flux.defer(() -> {
            try {
                MaildirFolder folder = folder(mailbox);
                List<ComposedMessageIdWithMetaData> metadata = new ArrayList<>();
                List<IndexEntry> entries = syncFirst ? entries(folder, set)
                    : folder.entries(set.getUidFrom().asLong(), set.getUidTo().asLong());
                for (IndexEntry entry : entries) {
                    MessageId messageId = messageIds.generate();
                    metadata.add(new ComposedMessageIdWithMetaData(
                        new ComposedMessageId(mailbox.getMailboxId(), messageId, MessageUid.of(entry.uid())),
                        folder.flagsOf(entry), ModSeq.of(entry.modSeq()), new ThreadId(messageId)));
                }
                return Flux.fromIterable(metadata);
            } catch (IOException e) {
                return Flux.error(failure("reading flags", mailbox, e));
            } catch (MailboxException e) {
                return Flux.error(e);
            }
        });
    }

    @Override
    public List<MessageUid> retrieveMessagesMarkedForDeletion(Mailbox mailbox, MessageRange range) throws MailboxException {
        try {
            return entries(folder(mailbox), range).stream()
                .filter(entry -> entry.hasLetter('T'))
                .map(entry -> MessageUid.of(entry.uid()))
                .toList();
        } catch (IOException e) {
            throw failure("listing deleted messages", mailbox, e);
        }
    }

    @Override
    public long countMessagesInMailbox(Mailbox mailbox) throws MailboxException {
        try {
            MaildirFolder folder = folder(mailbox);
            folder.sync();
            return folder.count();
        } catch (IOException e) {
            throw failure("counting messages", mailbox, e);
        }
    }

    @Override
    public MailboxCounters getMailboxCounters(Mailbox mailbox) throws MailboxException {
        try {
            FolderStatus status = folder(mailbox).status();
            return MailboxCounters.builder()
                .mailboxId(mailbox.getMailboxId())
                .count(status.messages())
                .unseen(status.unseen())
                .build();
        } catch (IOException e) {
            throw failure("counting messages", mailbox, e);
        }
    }

    @Override
    public void delete(Mailbox mailbox, MailboxMessage message) throws MailboxException {
        deleteMessages(mailbox, List.of(message.getUid()));
    }

    @Override
    public Map<MessageUid, MessageMetaData> deleteMessages(Mailbox mailbox, List<MessageUid> uids) throws MailboxException {
        MaildirFolder folder = folder(mailbox);
        try {
            Map<MessageUid, MessageMetaData> deleted = new LinkedHashMap<>();
            Map<Long, Flags> flagsBefore = new LinkedHashMap<>();
            for (MessageUid uid : uids) {
                Optional<IndexEntry> entry = folder.entry(uid.asLong());
                if (entry.isPresent()) {
                    flagsBefore.put(uid.asLong(), folder.flagsOf(entry.get()));
                }
            }
            for (Map.Entry<Long, IndexEntry> gone : folder.expunge(uids.stream().map(MessageUid::asLong).toList()).entrySet()) {
                Flags flags = flagsBefore.getOrDefault(gone.getKey(), new Flags());
                deleted.put(MessageUid.of(gone.getKey()), metaData(gone.getValue(), flags, messageIds.generate()));
            }
            return deleted;
        } catch (IOException e) {
            throw failure("expunging messages", mailbox, e);
        }
    }

    @Override
    public MessageUid findFirstUnseenMessageUid(Mailbox mailbox) throws MailboxException {
        try {
            return entries(folder(mailbox), MessageRange.all()).stream()
                .filter(FolderStatus::isUnseen)
                .findFirst()
                .map(entry -> MessageUid.of(entry.uid()))
                .orElse(null);
        } catch (IOException e) {
            throw failure("finding the first unseen message", mailbox, e);
        }
    }

    @Override
    public List<MessageUid> findRecentMessageUidsInMailbox(Mailbox mailbox) throws MailboxException {
        try {
            MaildirFolder folder = folder(mailbox);
            return entries(folder, MessageRange.all()).stream()
                .filter(folder::isRecent)
                .map(entry -> MessageUid.of(entry.uid()))
                .toList();
        } catch (IOException e) {
            throw failure("listing recent messages", mailbox, e);
        }
    }

    @Override
    public List<UpdatedFlags> resetRecent(Mailbox mailbox) throws MailboxException {
        MaildirFolder folder = folder(mailbox);
        try {
            List<UpdatedFlags> updated = new ArrayList<>();
            for (MaildirFolder.FlagChange change : folder.takeRecent()) {
                Flags before = folder.flagsOf(change.after());
                before.add(Flags.Flag.RECENT);
                updated.add(updatedFlags(change.after(), before, folder.flagsOf(change.after())));
            }
            return updated;
        } catch (IOException e) {
            throw failure("clearing \\Recent", mailbox, e);
        }
    }

    /**
     * A delivery's save runs on the thread that asks for it; any other save on James's
     * blocking-call pool, as James's default does. Why: a delivery reaches here from the spool's
     * thread through James's append, which already runs on a thread made for blocking work
     * (every append is subscribed on {@code boundedElastic}, then takes the path lock on its
     * locker pool), so handing the save to yet another pool was one thread hand-over more per
     * delivered message for nothing (in issue 18's ingest profile the pool's threads held a tenth
     * of the Java samples, all of them this save's work, none of it needing another thread). An
     * IMAP APPEND, a COPY or a MOVE may come from a thread that must not wait for an fsync, so
     * those keep the hand-over.
     */
    @Override
    public Publisher<MessageMetaData> addReactive(Mailbox mailbox, MailboxMessage message) {
        if (DeliveryKey.of(session).isPresent()) {
            return Mono.fromCallable(() -> add(mailbox, message));
        }
        return MessageMapper.super.addReactive(mailbox, message);
    }

    @Override
    public MessageMetaData add(Mailbox mailbox, MailboxMessage message) throws MailboxException {
        MaildirFolder folder = folder(mailbox);
        Optional<String> deliveryKey = DeliveryKey.of(session);
        try (InputStream content = message.getFullContent()) {
            Date internalDate = message.getInternalDate();
            IndexEntry stored = folder.deliver(content, message.createFlags(), internalDate, deliveryKey);
            return metaData(stored, folder.flagsOf(stored), message.getMessageId());
        } catch (IOException e) {
            throw failure("storing a message", mailbox, e);
        }
    }

    @Override
    public Iterator<UpdatedFlags> updateFlags(Mailbox mailbox, FlagsUpdateCalculator calculator, MessageRange set) throws MailboxException {
        MaildirFolder folder = folder(mailbox);
        try {
            List<UpdatedFlags> updated = new ArrayList<>();
            for (MaildirFolder.FlagChange change : folder.updateFlags(set.getUidFrom().asLong(), set.getUidTo().asLong(),
                    calculator::buildNewFlags)) {
                updated.add(updatedFlags(change.after(), folder.flagsOf(change.before()), folder.flagsOf(change.after())));
            }
            return updated.iterator();
        } catch (DovecotKeywords.KeywordLimitException e) {
            throw new MailboxException(e.getMessage(), e);
        } catch (IOException e) {
            throw failure("changing flags", mailbox, e);
        }
    }

    private UpdatedFlags updatedFlags(IndexEntry entry, Flags oldFlags, Flags newFlags) {
        return UpdatedFlags.builder()
            .uid(MessageUid.of(entry.uid()))
            .modSeq(ModSeq.of(entry.modSeq()))
            .oldFlags(oldFlags)
            .newFlags(newFlags)
            .build();
    }

    @Override
    public MessageMetaData copy(Mailbox mailbox, MailboxMessage original) throws MailboxException {
        MaildirFolder target = folder(mailbox);
        try {
            IndexEntry stored;
            if (original instanceof MaildirMessage ours) {
                stored = target.copyIn(ours.folder(), original.getUid().asLong(), original.createFlags());
            } else {
                try (InputStream content = original.getFullContent()) {
                    stored = target.deliver(content, original.createFlags(), original.getInternalDate(), Optional.empty());
                }
            }
            return metaData(stored, target.flagsOf(stored), original.getMessageId());
        } catch (IOException e) {
            throw failure("copying a message", mailbox, e);
        }
    }

    @Override
    public MessageMetaData move(Mailbox mailbox, MailboxMessage original) throws MailboxException {
        if (!(original instanceof MaildirMessage ours)) {
            throw new MailboxException("cannot move a message that is not in this Maildir store: " + original);
        }
        MaildirFolder target = folder(mailbox);
        try {
            IndexEntry stored = target.moveIn(ours.folder(), original.getUid().asLong(), original.createFlags());
            return metaData(stored, target.flagsOf(stored), original.getMessageId());
        } catch (IOException e) {
            throw failure("moving a message", mailbox, e);
        }
    }

    private MessageMetaData metaData(IndexEntry entry, Flags flags, MessageId messageId) {
        long size = entry.virtualSize() >= 0 ? entry.virtualSize() : entry.size();
        return new MessageMetaData(MessageUid.of(entry.uid()), ModSeq.of(entry.modSeq()), flags, size,
            new Date(entry.internalDate()), Optional.empty(), messageId, new ThreadId(messageId));
    }

    @Override
    public Optional<MessageUid> getLastUid(Mailbox mailbox) throws MailboxException {
        try {
            MaildirFolder folder = folder(mailbox);
            folder.sync();
            long last = folder.nextUid() - 1;
            return last > 0 ? Optional.of(MessageUid.of(last)) : Optional.empty();
        } catch (IOException e) {
            throw failure("reading the next UID", mailbox, e);
        }
    }

    @Override
    public ModSeq getHighestModSeq(Mailbox mailbox) throws MailboxException {
        try {
            MaildirFolder folder = folder(mailbox);
            folder.sync();
            return ModSeq.of(folder.highestModSeq());
        } catch (IOException e) {
            throw failure("reading the highest mod-sequence", mailbox, e);
        }
    }

    @Override
    public Flags getApplicableFlag(Mailbox mailbox) throws MailboxException {
        Flags flags = new Flags();
        flags.add(Flags.Flag.ANSWERED);
        flags.add(Flags.Flag.DELETED);
        flags.add(Flags.Flag.DRAFT);
        flags.add(Flags.Flag.FLAGGED);
        flags.add(Flags.Flag.SEEN);
        try {
            folder(mailbox).keywordNames().forEach(flags::add);
        } catch (IOException e) {
            throw failure("reading keywords", mailbox, e);
        }
        return flags;
    }

    @Override
    public Flux<MessageUid> listAllMessageUids(Mailbox mailbox) {
        return Flux.defer(() -> {
            try {
                return Flux.fromIterable(entries(folder(mailbox), MessageRange.all()))
                    .map(entry -> MessageUid.of(entry.uid()));
            } catch (IOException e) {
                return Flux.error(failure("listing UIDs", mailbox, e));
            } catch (MailboxException e) {
                return Flux.error(e);
            }
        });
    }
}
