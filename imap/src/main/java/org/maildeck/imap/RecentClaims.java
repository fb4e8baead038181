package org.maildeck.imap;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import javax.inject.Inject;
import javax.inject.Singleton;

import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.api.process.SelectedMailbox;
import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.MessageUid;
import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.model.Mailbox;
import org.apache.james.mailbox.model.UpdatedFlags;
import org.apache.james.mailbox.store.mail.MessageMapper;
import org.apache.james.mailbox.store.mail.MessageMapperFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.apache.james.mailbox.model.MailboxId;

/**
 * Which session a new message's \Recent goes to: the first read-write session told of it, and
 * no other (RFC 3501 §2.3.2, RFC 9051 keeps the rule for IMAP4rev1 clients: "this session is
 * the first session to have been notified about this message; if the session is read-write,
 * subsequent sessions will not see \Recent set for this message").
 *
 * <p>James 3.8.1's {@code SelectedMailboxImpl} calls {@code addRecent} on its session's selected
 * mailbox for every message an event announces: for each Added message, in every session that
 * has the folder selected, and again for each message whose \Recent another session's SELECT
 * dropped (the FlagsUpdated of IMAP-287). Ten sessions on one folder each counted every new
 * message. Its constructor is called from private code, but it asks its session for the
 * selected mailbox each time, so SELECT and EXAMINE hand it a session whose selected mailbox
 * passes {@code addRecent} through this claim first.
 *
 * <p>As Dovecot's {@code first_recent_uid}, a folder keeps the highest UID whose \Recent a
 * read-write session took: UIDs only grow, so a message at or below it is no one else's. A
 * read-only (EXAMINE) session sees an unclaimed message as recent without taking it.
 *
 * <p>A claim is also made in the store, as Dovecot's session does when it is told of new
 * messages: the store's \Recent is reset (files in {@code new/} move to {@code cur/}, the
 * folder's first recent UID moves on), so a later SELECT, STATUS or FETCH of another session,
 * another server process or Dovecot does not see them \Recent again. The reset takes every
 * message numbered so far, including some whose event has not reached this session yet; this
 * session still takes their \Recent here when it comes (Dovecot, too, takes \Recent for what
 * its sync found, not message by message). It runs on the thread that applies the event to the
 * session's view, outside the folder's lock, once per batch of new messages.
 *
 * <p>Upstream: no corresponding James change found (searched apache/james-project issues and
 * code; its stored SelectedMailboxImpl has the same handleAddition and checkExpungedRecents;
 * MAILBOX-398 is about \Recent in search only).
 */
@Singleton
public class RecentClaims {

    private static final Method ADD_RECENT = addRecentMethod();

    private static final Logger LOGGER = LoggerFactory.getLogger(RecentClaims.class);

    private final Map<MailboxId, MessageUid> highestClaimed = new ConcurrentHashMap<>();
    /** Per folder, the highest UID the store's \Recent was last reset for (the reset covers all below). */
    private final Map<MailboxId, MessageUid> resetInStore = new ConcurrentHashMap<>();
    /** Sessions whose SELECT runs: that SELECT's own reset takes the folder's \Recent in the store. */
    private final Set<ImapSession> selecting = ConcurrentHashMap.newKeySet();
    private final MessageMapperFactory mappers;

    @Inject
    public RecentClaims(MessageMapperFactory mappers) {
        this.mappers = mappers;
    }

    /** {@code session} as seen by the mailbox it selects, with \Recent claimed through this registry. */
    ImapSession claimingFor(ImapSession session, boolean readWrite) {
        InvocationHandler handler = (proxy, method, args) -> {
            Object result = invoke(session, method, args);
            if (result instanceof SelectedMailbox selected && method.getName().equals("getSelected")) {
                return claiming(selected, session, readWrite);
            }
            return result;
        };
        return (ImapSession) Proxy.newProxyInstance(ImapSession.class.getClassLoader(), new Class<?>[] {ImapSession.class}, handler);
    }

    private SelectedMailbox claiming(SelectedMailbox selected, ImapSession session, boolean readWrite) {
        MailboxSession mailboxSession = session.getMailboxSession();
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.equals(ADD_RECENT)) {
                MessageUid uid = (MessageUid) args[0];
                boolean ours = readWrite ? claim(selected.getMailboxId(), uid) : !claimed(selected.getMailboxId(), uid);
                if (ours && readWrite && !selecting.contains(session)) {
                    takeInStore(selected, uid, mailboxSession);
                }
                return ours && selected.addRecent(uid);
            }
            return invoke(selected, method, args);
        };
        return (SelectedMailbox) Proxy.newProxyInstance(SelectedMailbox.class.getClassLoader(), new Class<?>[] {SelectedMailbox.class}, handler);
    }

    /**
     * While {@code session}'s SELECT runs, the new messages its events announce are not taken in
     * the store from the thread that delivers them: the SELECT's own reset takes them, and adds
     * each to the session. A second reset beside it, on the event thread, took some of them from
     * the store first; the SELECT's list then lacked them, its higher claims covered them, and
     * their \Recent went to no one (a SELECT of 20,000 new messages answered "* 15648 RECENT").
     */
    void selectStarts(ImapSession session) {
        selecting.add(session);
    }

    /** {@code session}'s SELECT has answered: new messages are taken in the store as they come. */
    void selectEnded(ImapSession session) {
        selecting.remove(session);
    }

    /**
     * The messages whose \Recent a SELECT took from the store are no other session's: without
     * this, the FlagsUpdated of that SELECT would hand them to the sessions already selected.
     */
    void tookAtSelect(SelectedMailbox selected) {
        if (selected != null) {
            selected.getRecent().stream().max(MessageUid::compareTo).ifPresent(uid -> claim(selected.getMailboxId(), uid));
        }
    }

    /** Takes the \Recent of {@code uid}: true for the first read-write session only. */
    boolean claim(MailboxId folder, MessageUid uid) {
        boolean[] taken = new boolean[1];
        highestClaimed.compute(folder, (id, highest) -> {
            taken[0] = highest == null || uid.compareTo(highest) > 0;
            return taken[0] ? uid : highest;
        });
        return taken[0];
    }

    /**
     * Resets the store's \Recent of the folder unless a reset already covered {@code uid}.
     *
     * <p>The folder is the one the session has open, not looked up again through the mailbox
     * manager: this runs where the event is delivered, often a thread of Reactor's
     * {@code boundedElastic} pool (the store's calls run there), and the manager's lookup is a
     * blocking wait for a task on that same pool. With every thread of the pool busy (slow
     * fsyncs under load), the pool queues a new task behind a busy thread, which may be this one:
     * it then waited for itself for good, and the session whose command delivered the event
     * (a SELECT, an APPEND) never got its answer.
     */
    private void takeInStore(SelectedMailbox selected, MessageUid uid, MailboxSession session) {
        MailboxId folder = selected.getMailboxId();
        MessageUid covered = resetInStore.get(folder);
        if (covered != null && uid.compareTo(covered) <= 0) {
            return;
        }
        try {
            Mailbox mailbox = selected.getMessageManager().getMailboxEntity();
            MessageMapper mapper = mappers.getMessageMapper(session);
            // The reset takes every message numbered before it starts, so it covers the last UID
            // read here even when it takes nothing (a SELECT took them already). Covering only
            // what it took, a SELECT of a folder of new messages, whose FlagsUpdated claims them
            // one by one, reset again for each: a sync and a scan of the whole folder per
            // message, 837 s for 100,000 (bench/README.md, "The full-size bench; a cold
            // SELECT's \Recent claims").
            MessageUid highest = mapper.getLastUid(mailbox).filter(last -> last.compareTo(uid) > 0).orElse(uid);
            for (UpdatedFlags taken : mapper.resetRecent(mailbox)) {
                highest = taken.getUid().compareTo(highest) > 0 ? taken.getUid() : highest;
            }
            MessageUid reset = highest;
            resetInStore.merge(folder, reset, (before, now) -> now.compareTo(before) > 0 ? now : before);
        } catch (MailboxException e) {
            // The session has its \Recent; only a later session may see the message recent again.
            LOGGER.warn("Could not take the \\Recent of UID {} in folder {} in the store: {}", uid.asLong(), folder, e.toString());
        }
    }

    private boolean claimed(MailboxId folder, MessageUid uid) {
        MessageUid highest = highestClaimed.get(folder);
        return highest != null && uid.compareTo(highest) <= 0;
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static Method addRecentMethod() {
        try {
            return SelectedMailbox.class.getMethod("addRecent", MessageUid.class);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("James's SelectedMailbox has no addRecent(MessageUid)", e);
        }
    }
}
