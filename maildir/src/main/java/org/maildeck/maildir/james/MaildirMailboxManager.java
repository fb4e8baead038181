package org.maildeck.maildir.james;

import java.time.Clock;
import java.util.EnumSet;

import javax.inject.Inject;
import javax.mail.Flags;

import org.apache.james.events.EventBus;
import org.apache.james.mailbox.MailboxPathLocker;
import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.MessageManager;
import org.apache.james.mailbox.SessionProvider;
import org.apache.james.mailbox.model.Mailbox;
import org.apache.james.mailbox.exception.MailboxNameException;
import org.apache.james.mailbox.model.MailboxConstants;
import org.apache.james.mailbox.model.MailboxId;
import org.apache.james.mailbox.model.MailboxPath;
import org.apache.james.mailbox.model.ComposedMessageIdWithMetaData;
import org.apache.james.mailbox.model.FetchGroup;
import org.apache.james.mailbox.model.MessageId;
import org.apache.james.mailbox.model.MessageRange;
import org.apache.james.mailbox.model.MessageResult;
import org.apache.james.mailbox.store.MailboxManagerConfiguration;
import org.apache.james.mailbox.store.MessageStorer;
import org.apache.james.mailbox.store.PreDeletionHooks;
import org.apache.james.mailbox.store.StoreMailboxAnnotationManager;
import org.apache.james.mailbox.store.StoreMailboxManager;
import org.apache.james.mailbox.store.StoreMessageManager;
import org.apache.james.mailbox.store.StoreRightManager;
import org.apache.james.mailbox.store.mail.ThreadIdGuessingAlgorithm;
import org.apache.james.mailbox.store.mail.model.impl.MessageParser;
import org.apache.james.mailbox.store.quota.QuotaComponents;
import org.apache.james.mailbox.store.search.MessageSearchIndex;
import org.apache.james.mailbox.store.MessageFactory;
import org.maildeck.maildir.MaildirLayout;
import org.maildeck.maildir.MaildirStore;
import org.reactivestreams.Publisher;

import com.google.common.collect.ImmutableSet;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** James's mailbox manager over the Maildir store. */
public final class MaildirMailboxManager extends StoreMailboxManager {

    public static final EnumSet<MailboxCapabilities> MAILBOX_CAPABILITIES = EnumSet.of(
        MailboxCapabilities.Move,
        MailboxCapabilities.UserFlag,
        MailboxCapabilities.Namespace,
        MailboxCapabilities.Annotation,
        MailboxCapabilities.Quota);

    private final MaildirMailboxSessionMapperFactory mappers;
    private final ThreadIdGuessingAlgorithm threadIds;
    /** Lets saves into one mailbox run concurrently, for the folder's group commit. */
    private final SharedSavesLocker savesLocker;
    private final Clock clock;

    @Inject
    public MaildirMailboxManager(MaildirMailboxSessionMapperFactory mappers, SessionProvider sessionProvider,
                                 MailboxPathLocker locker, MessageParser messageParser, MessageId.Factory messageIdFactory,
                                 EventBus eventBus, StoreMailboxAnnotationManager annotationManager,
                                 StoreRightManager rightManager, QuotaComponents quotaComponents,
                                 MessageSearchIndex searchIndex, ThreadIdGuessingAlgorithm threadIds, Clock clock) {
        super(mappers, sessionProvider, locker, messageParser, messageIdFactory, annotationManager, eventBus,
            rightManager, quotaComponents, searchIndex, MailboxManagerConfiguration.DEFAULT,
            PreDeletionHooks.NO_PRE_DELETION_HOOK, threadIds, clock);
        this.mappers = mappers;
        this.savesLocker = new SharedSavesLocker(locker);
        this.threadIds = threadIds;
        this.clock = clock;
    }

    /**
     * Refuses a name the Maildir cannot hold before James creates anything: James creates each
     * level of a hierarchy in turn, so a bad last level would otherwise leave its parents behind.
     */
    @Override
    public Mono<MailboxId> createMailboxReactive(MailboxPath mailboxPath, CreateOption createOption, MailboxSession session) {
        return Mono.defer(() -> {
            try {
                checkStorable(mailboxPath.sanitize(session.getPathDelimiter()));
            } catch (MailboxNameException e) {
                return Mono.error(e);
            }
            return super.createMailboxReactive(mailboxPath, createOption, session);
        });
    }

    private void checkStorable(MailboxPath path) throws MailboxNameException {
        if (path.getUser() == null || !MailboxConstants.USER_NAMESPACE.equals(path.getNamespace())) {
            return;
        }
        try {
            MaildirStore store = mappers.mailboxes().store();
            store.layout().folderDirectory(store.userMaildir(path.getUser().asString()), path.getName());
        } catch (MaildirLayout.InvalidNameException e) {
            throw new MailboxNameException(e.getMessage());
        }
    }

    @Override
    public EnumSet<MailboxCapabilities> getSupportedMailboxCapabilities() {
        return MAILBOX_CAPABILITIES;
    }

    @Override
    protected StoreMessageManager createMessageManager(Mailbox mailbox, MailboxSession session) {
        return new MaildirMessageManager(mappers, getMessageSearchIndex(), getEventBus(), savesLocker, mailbox,
            getQuotaComponents(), configuration.getBatchSizes(), getStoreRightManager(),
            new MessageStorer.WithoutAttachment(mappers, getMessageIdFactory(), new MessageFactory.StoreMessageFactory(),
                threadIds, clock));
    }

    /** Messages may carry keywords (\* in PERMANENTFLAGS): Maildir stores up to 26 per folder. */
    static final class MaildirMessageManager extends StoreMessageManager implements FlagsFromIndex {
        private final MaildirMailboxSessionMapperFactory mappers;
        /** Whether {@link #listMessagesMetadata} syncs the folder first (false for {@link #flagsFromIndex()}'s twin). */
        private final boolean syncFirst;
        private final java.util.function.Supplier<MaildirMessageManager> twin;
        private MessageManager flagsFromIndex;

        MaildirMessageManager(MaildirMailboxSessionMapperFactory mappers, MessageSearchIndex index, EventBus eventBus,
                              MailboxPathLocker locker, Mailbox mailbox, QuotaComponents quota,
                              org.apache.james.mailbox.store.BatchSizes batchSizes, StoreRightManager rightManager,
                              MessageStorer storer) {
            this(mappers, index, eventBus, locker, mailbox, quota, batchSizes, rightManager, storer, true);
        }

        private MaildirMessageManager(MaildirMailboxSessionMapperFactory mappers, MessageSearchIndex index, EventBus eventBus,
                                      MailboxPathLocker locker, Mailbox mailbox, QuotaComponents quota,
                                      org.apache.james.mailbox.store.BatchSizes batchSizes, StoreRightManager rightManager,
                                      MessageStorer storer, boolean syncFirst) {
            super(EnumSet.noneOf(MessageCapabilities.class), mappers, index, eventBus,
                locker, mailbox, quota.getQuotaManager(), quota.getQuotaRootResolver(), batchSizes, rightManager,
                PreDeletionHooks.NO_PRE_DELETION_HOOK, storer);
            this.mappers = mappers;
            this.syncFirst = syncFirst;
            this.twin = () -> new MaildirMessageManager(mappers, index, eventBus, locker, mailbox, quota, batchSizes,
                rightManager, storer, false);
        }

        @Override
        public synchronized MessageManager flagsFromIndex() {
            if (!syncFirst) {
                return this;
            }
            if (flagsFromIndex == null) {
                flagsFromIndex = twin.get();
            }
            return flagsFromIndex;
        }

        @Override
        public Publisher<ComposedMessageIdWithMetaData> listMessagesMetadata(MessageRange set, MailboxSession session) {
            if (syncFirst) {
                return super.listMessagesMetadata(set, session);
            }
            return ((MaildirMessageMapper) mappers.getMessageMapper(session)).metadataAsIndexed(getMailboxEntity(), set);
        }

        /**
         * Each fetched message is an {@link OpenedContentMessageResult} (its file opened before a
         * literal of it is announced), and numbered sections ({@code BODY[1]},
         * {@code BODY[1.HEADER]}, ...) come from {@link NumberedPartsMessageResult}: James's own
         * part lookup numbers the parts of a message/rfc822 message one level too deep. James is
         * not asked for the sections at all, so each message is parsed once for them, not once
         * per section and profile.
         */
        @Override
        public Publisher<MessageResult> getMessagesReactive(MessageRange set, FetchGroup fetchGroup, MailboxSession session) {
            long uidValidity = getMailboxEntity().getUidValidity().asLong();
            if (fetchGroup.getPartContentDescriptors().isEmpty()) {
                return Flux.from(super.getMessagesReactive(set, fetchGroup, session))
                    .map(loaded -> new OpenedContentMessageResult(loaded, uidValidity));
            }
            // FULL: the sections are read from the whole message.
            EnumSet<FetchGroup.Profile> profiles = EnumSet.copyOf(fetchGroup.profiles());
            profiles.add(FetchGroup.Profile.FULL_CONTENT);
            FetchGroup withoutSections = new FetchGroup(profiles, ImmutableSet.of());
            return Flux.from(super.getMessagesReactive(set, withoutSections, session))
                .map(loaded -> new OpenedContentMessageResult(new NumberedPartsMessageResult(loaded), uidValidity));
        }

        @Override
        public Flags getPermanentFlags(MailboxSession session) {
            Flags permanent = new Flags(super.getPermanentFlags(session));
            permanent.add(Flags.Flag.USER);
            return permanent;
        }
    }
}
