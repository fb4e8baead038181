package org.apache.james.imap.processor.base;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import javax.mail.Flags;
import javax.mail.Flags.Flag;

import org.apache.james.events.Event;
import org.apache.james.events.EventBus;
import org.apache.james.events.EventListener;
import org.apache.james.events.Registration;
import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.api.process.SelectedMailbox;
import org.apache.james.mailbox.MailboxManager;
import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.MessageManager;
import org.maildeck.maildir.james.FlagsFromIndex;
import org.apache.james.mailbox.MessageUid;
import org.apache.james.mailbox.NullableMessageSequenceNumber;
import org.apache.james.mailbox.events.MailboxEvents.Added;
import org.apache.james.mailbox.events.MailboxEvents.Expunged;
import org.apache.james.mailbox.events.MailboxEvents.FlagsUpdated;
import org.apache.james.mailbox.events.MailboxEvents.MailboxDeletion;
import org.apache.james.mailbox.events.MailboxEvents.MailboxEvent;
import org.apache.james.mailbox.events.MailboxIdRegistrationKey;
import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.model.MailboxId;
import org.apache.james.mailbox.model.MailboxPath;
import org.apache.james.mailbox.model.SearchQuery;
import org.apache.james.mailbox.model.UpdatedFlags;
import org.reactivestreams.Publisher;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * One IMAP session's view of its selected folder: the messages it has been told of, in the
 * order of their sequence numbers, and what it has yet to be told.
 *
 * <h2>Why this replaces James's class</h2>
 * RFC 9051 §5.2 and §7.5: a session's sequence numbers change only through the EXISTS and
 * EXPUNGE responses it is sent, at the moments the protocol allows them. James 3.8.1's
 * {@code SelectedMailboxImpl} applied each new message to the sequence map the moment its event
 * arrived, on an event thread, while the session's own command was running; so with ten
 * sessions on one folder (imaptest's load, {@code bench/imap-stress}) a session was sent
 * {@code * 181 FETCH} and {@code * 108 EXPUNGE} while it knew 180 and 107 messages, a FETCH of a
 * range it had been told of was refused ({@code BAD Invalid messageset}), and an EXISTS could go
 * down. Three further races led to the same: events handed to a scheduler one by one, so that an
 * Expunged could be handled before the Added of the same message (which then stayed in the map
 * for ever); the "something changed" flags reset after the responses were written, losing the
 * changes that came in between; and the UIDs read at SELECT racing the events registered just
 * before. The class is made with {@code new} in a private method of
 * {@code AbstractSelectionProcessor}, so no Guice binding can replace it.
 *
 * <h2>How the view works</h2>
 * The view ({@link UidMsnConverter}) holds exactly the messages the session has been told of.
 * An Added message waits in {@code pending} until the session is next sent its unsolicited
 * responses: {@link #isSizeChanged()} is where James decides to send EXISTS, so that is where the
 * pending messages join the view, and the EXISTS then counts them. An Expunged message that is in
 * the view waits in {@code expunged} until its EXPUNGE is written ({@link #remove}); one still
 * pending leaves without the session ever hearing of it; one whose Added has not arrived yet is
 * remembered in {@code expungedBeforeAdded} so that its Added is ignored. The reset methods
 * forget only what was handed out and answered for, never an event that arrived meanwhile.
 * Events are applied in the order they are delivered, on the delivering thread, under this
 * object's lock (short work, no I/O). \Recent counts only messages in the view, so
 * {@code * N RECENT} never exceeds EXISTS.
 *
 * <p>Upstream: apache/james-project reworked this class after 3.8.1 (JAMES-3881 and the IMAP
 * execution changes of #2090/#2126 order the work per session); none of those releases is in the
 * registry here, and none defers additions to the session's EXISTS as this does.
 */
public class SelectedMailboxImpl implements SelectedMailbox, EventListener.ReactiveEventListener {

    /** Expunges seen before their Added are kept at most this many (a bound, not a case seen). */
    private static final int EXPUNGED_BEFORE_ADDED_LIMIT = 10_000;

    private final AtomicReference<Registration> registration = new AtomicReference<>();
    private final MailboxManager mailboxManager;
    private final MessageManager messageManager;
    private final MailboxId mailboxId;
    private final EventBus eventBus;
    private final ImapSession session;
    private final MailboxSession.SessionId sessionId;
    private final MailboxSession mailboxSession;
    private final UidMsnConverter view = new UidMsnConverter();
    private final Set<MessageUid> pending = new TreeSet<>();
    private final Set<MessageUid> expunged = new TreeSet<>();
    private final Set<MessageUid> expungedBeforeAdded = new LinkedHashSet<>();
    private final Set<MessageUid> recentUids = new TreeSet<>();
    private final Set<MessageUid> flagUpdateUids = new TreeSet<>();
    private Set<MessageUid> flagUpdatesHandedOut = Set.of();
    private final AtomicReference<ReactiveEventListener> idleEventListener = new AtomicReference<>();
    private final AtomicBoolean recentUidRemoved = new AtomicBoolean(false);
    private final AtomicBoolean isDeletedByOtherSession = new AtomicBoolean(false);
    private final AtomicBoolean silentFlagChanges = new AtomicBoolean(false);
    private Flags applicableFlags = new Flags();
    private boolean applicableFlagsUpdated;

    public SelectedMailboxImpl(MailboxManager mailboxManager, EventBus eventBus, ImapSession session, MessageManager messageManager) {
        this.eventBus = eventBus;
        this.session = session;
        this.sessionId = session.getMailboxSession().getSessionId();
        this.mailboxManager = mailboxManager;
        this.messageManager = messageManager;
        this.mailboxSession = session.getMailboxSession();
        this.mailboxId = messageManager.getId();
    }

    /**
     * Registers for the folder's events first, then reads its UIDs: a message added in between
     * is both in the list and announced, and is counted once; one expunged in between is left out.
     */
    public Mono<Void> finishInit() throws MailboxException {
        setSilentFlagChanges(true);
        return Mono.from(eventBus.register(this, new MailboxIdRegistrationKey(mailboxId)))
            .doOnNext(registration::set)
            .then(messageManager.getApplicableFlagsReactive(mailboxSession)
                .doOnNext(this::addApplicableFlags))
            .then(Flux.from(messageManager.search(SearchQuery.of(SearchQuery.all()), mailboxSession))
                .collectList()
                .doOnNext(this::initialView))
            .then();
    }

    private synchronized void initialView(List<MessageUid> uids) {
        List<MessageUid> present = new ArrayList<>(uids.size());
        for (MessageUid uid : uids) {
            if (!expungedBeforeAdded.remove(uid)) {
                present.add(uid);
            }
        }
        view.addAll(present);
        pending.removeAll(present);
    }

    @Override
    public void registerIdle(ReactiveEventListener idle) {
        idleEventListener.set(idle);
    }

    @Override
    public void unregisterIdle() {
        idleEventListener.set(null);
    }

    @Override
    public Optional<MessageUid> getFirstUid() {
        return view.getFirstUid();
    }

    @Override
    public Optional<MessageUid> getLastUid() {
        return view.getLastUid();
    }

    @Override
    public Mono<Void> deselect() {
        return Mono.from(Optional.ofNullable(registration.get())
                .map(Registration::unregister)
                .orElse(Mono.empty()))
            .then(Mono.fromRunnable(this::clearInternalStructures)
                .subscribeOn(Schedulers.boundedElastic()))
            .then();
    }

    private synchronized void clearInternalStructures() {
        view.clear();
        pending.clear();
        expunged.clear();
        expungedBeforeAdded.clear();
        flagUpdateUids.clear();
        recentUids.clear();
    }

    /**
     * Maildeck: a Maildir mailbox reads the flags of the FETCH responses for other sessions'
     * changes from its index, without a sync per UID range ({@code FlagsFromIndex}); James calls
     * this only for those responses (and their FLAGS/PERMANENTFLAGS), Maildeck's MODSEQ search for
     * the flags of messages it just found.
     */
    @Override
    public MessageManager getMessageManager() {
        return messageManager instanceof FlagsFromIndex indexed ? indexed.flagsFromIndex() : messageManager;
    }

    @Override
    public synchronized boolean removeRecent(MessageUid uid) {
        boolean removed = recentUids.remove(uid);
        if (removed) {
            recentUidRemoved.set(true);
        }
        return removed;
    }

    @Override
    public synchronized boolean addRecent(MessageUid uid) {
        return recentUids.add(uid);
    }

    @Override
    public synchronized Collection<MessageUid> getRecent() {
        List<MessageUid> visible = new ArrayList<>(recentUids.size());
        for (MessageUid uid : recentUids) {
            if (inView(uid) && !expunged.contains(uid)) {
                visible.add(uid);
            }
        }
        return visible;
    }

    @Override
    public synchronized int recentCount() {
        return getRecent().size();
    }

    @Override
    public Mono<MailboxPath> getPathReactive() {
        return Mono.from(mailboxManager.getMailboxReactive(mailboxId, mailboxSession))
            .map(MessageManager::getMailboxPath);
    }

    @Override
    public MailboxId getMailboxId() {
        return mailboxId;
    }

    @Override
    public synchronized boolean isRecent(MessageUid uid) {
        return recentUids.contains(uid);
    }

    @Override
    public boolean isRecentUidRemoved() {
        return recentUidRemoved.get();
    }

    @Override
    public void resetRecentUidRemoved() {
        recentUidRemoved.set(false);
    }

    /** Forgets the flag updates handed out since the last reset; later ones stay to be sent. */
    @Override
    public synchronized void resetEvents() {
        flagUpdateUids.removeAll(flagUpdatesHandedOut);
        flagUpdatesHandedOut = Set.of();
        isDeletedByOtherSession.set(false);
    }

    /** Takes {@code uid} out of the view as its EXPUNGE is written; its sequence number before. */
    @Override
    public synchronized NullableMessageSequenceNumber remove(MessageUid uid) {
        recentUids.remove(uid);
        return view.getAndRemove(uid);
    }

    /** Forgets the expunges whose EXPUNGE has been written (those no longer in the view). */
    @Override
    public synchronized void resetExpungedUids() {
        expunged.removeIf(uid -> !inView(uid));
    }

    public final boolean isSilentFlagChanges() {
        return silentFlagChanges.get();
    }

    public final void setSilentFlagChanges(boolean silentFlagChanges) {
        this.silentFlagChanges.set(silentFlagChanges);
    }

    /**
     * True when messages are waiting to be announced, which join the view now: James asks this
     * right before it writes EXISTS with {@link #existsCount()}.
     */
    @Override
    public final synchronized boolean isSizeChanged() {
        if (pending.isEmpty()) {
            return false;
        }
        view.addAll(new ArrayList<>(pending));
        pending.clear();
        return true;
    }

    @Override
    public final boolean isDeletedByOtherSession() {
        return isDeletedByOtherSession.get();
    }

    @Override
    public synchronized Collection<MessageUid> flagUpdateUids() {
        flagUpdatesHandedOut = Set.copyOf(flagUpdateUids);
        return new TreeSet<>(flagUpdateUids);
    }

    @Override
    public synchronized Collection<MessageUid> expungedUids() {
        return new TreeSet<>(expunged);
    }

    @Override
    public synchronized Flags getApplicableFlags() {
        return new Flags(applicableFlags);
    }

    @Override
    public synchronized boolean hasNewApplicableFlags() {
        return applicableFlagsUpdated;
    }

    @Override
    public synchronized void resetNewApplicableFlags() {
        applicableFlagsUpdated = false;
    }

    @Override
    public Publisher<Void> reactiveEvent(Event event) {
        if (event instanceof MailboxEvent mailboxEvent && mailboxEvent.getMailboxId().equals(mailboxId)) {
            apply(mailboxEvent);
        }
        ReactiveEventListener idle = idleEventListener.get();
        return idle == null ? Mono.empty() : Mono.from(idle.reactiveEvent(event));
    }

    private void apply(MailboxEvent event) {
        if (event instanceof Added added) {
            added(added);
        } else if (event instanceof Expunged gone) {
            expunged(gone);
        } else if (event instanceof FlagsUpdated updated) {
            flagsUpdated(updated);
        } else if (event instanceof MailboxDeletion deletion && deletion.getSessionId() != sessionId) {
            isDeletedByOtherSession.set(true);
        }
    }

    private void added(Added added) {
        List<MessageUid> fresh = new ArrayList<>();
        synchronized (this) {
            for (MessageUid uid : added.getUids()) {
                if (expungedBeforeAdded.remove(uid) || inView(uid)) {
                    continue;
                }
                fresh.add(uid);
            }
        }
        // Through the session, as James does: the session's selected mailbox may decide whose
        // \Recent a new message is (Maildeck's RecentClaims wraps it, and may take it in the
        // store, which takes time). Before the message is pending: the command that announces it
        // sends EXISTS and RECENT together, and RECENT must count it already.
        SelectedMailbox selected = session.getSelected();
        if (selected != null) {
            fresh.forEach(selected::addRecent);
        }
        synchronized (this) {
            for (MessageUid uid : fresh) {
                if (expungedBeforeAdded.remove(uid)) {
                    // expunged while its \Recent was decided: it never joins the view
                    recentUids.remove(uid);
                } else {
                    pending.add(uid);
                }
            }
        }
    }

    private synchronized void expunged(Expunged gone) {
        for (MessageUid uid : gone.getUids()) {
            if (pending.remove(uid)) {
                recentUids.remove(uid);
            } else if (inView(uid)) {
                expunged.add(uid);
            } else {
                // its Added is still on its way (another thread delivers it), or it went before
                // SELECT read the folder; either way it must not join the view later
                rememberExpungedBeforeAdded(uid);
            }
            flagUpdateUids.remove(uid);
        }
    }

    private void rememberExpungedBeforeAdded(MessageUid uid) {
        if (expungedBeforeAdded.size() >= EXPUNGED_BEFORE_ADDED_LIMIT) {
            Iterator<MessageUid> oldest = expungedBeforeAdded.iterator();
            oldest.next();
            oldest.remove();
        }
        expungedBeforeAdded.add(uid);
    }

    private void flagsUpdated(FlagsUpdated updated) {
        List<MessageUid> nowRecent = new ArrayList<>();
        synchronized (this) {
            boolean ours = sessionId == updated.getSessionId();
            for (UpdatedFlags flags : updated.getUpdatedFlags()) {
                if ((!ours || !silentFlagChanges.get()) && visibleChange(flags)) {
                    flagUpdateUids.add(flags.getUid());
                }
                // Not for this session's own change: that is its SELECT taking the folder's
                // \Recent, and the SELECT claims those messages itself. Claimed from here as
                // well, on the thread delivering the event, they raced the SELECT's own claims,
                // and the SELECT's "* N RECENT" left out those this thread had claimed and not
                // yet added (8,654 of 20,000 new messages in one run).
                if (!ours && flags.modifiedSystemFlags().contains(Flag.RECENT)) {
                    nowRecent.add(flags.getUid());
                }
                addApplicableFlags(flags.getNewFlags());
            }
        }
        // IMAP-287, as James: a \Recent flag another session changed makes the message recent
        // in this session (if no read-write session claimed it before, RecentClaims).
        SelectedMailbox selected = session.getSelected();
        if (selected != null && mailboxId.equals(selected.getMailboxId())) {
            nowRecent.forEach(selected::addRecent);
        }
    }

    /** A change a client can see: a system flag other than \Recent, or a keyword. */
    private static boolean visibleChange(UpdatedFlags flags) {
        for (Flag flag : flags.modifiedSystemFlags()) {
            if (!Flag.RECENT.equals(flag)) {
                return true;
            }
        }
        return flags.userFlagIterator().hasNext();
    }

    private synchronized void addApplicableFlags(Flags flags) {
        int keywords = applicableFlags.getUserFlags().length;
        applicableFlags.add(flags);
        applicableFlags.remove(Flag.RECENT);
        if (applicableFlags.getUserFlags().length > keywords) {
            applicableFlagsUpdated = true;
        }
    }

    private boolean inView(MessageUid uid) {
        return view.getMsn(uid).foldSilent(() -> false, msn -> true);
    }

    @Override
    public NullableMessageSequenceNumber msn(MessageUid uid) {
        return view.getMsn(uid);
    }

    @Override
    public Optional<MessageUid> uid(int msn) {
        if (msn == NO_SUCH_MESSAGE) {
            return Optional.empty();
        }
        return view.getUid(msn);
    }

    /** The number of messages the session has been told of (pending ones join at {@link #isSizeChanged()}). */
    @Override
    public long existsCount() {
        return view.getNumMessage();
    }
}
