package org.maildeck.antispam;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.james.core.Username;
import org.apache.james.events.Event;
import org.apache.james.events.EventListener;
import org.apache.james.events.Group;
import org.apache.james.mailbox.MailboxManager;
import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.MessageManager;
import org.apache.james.mailbox.MessageUid;
import org.apache.james.mailbox.events.MailboxEvents;
import org.apache.james.mailbox.events.MessageMoveEvent;
import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.model.FetchGroup;
import org.apache.james.mailbox.model.MailboxId;
import org.apache.james.mailbox.model.MailboxPath;
import org.apache.james.mailbox.model.MessageRange;
import org.apache.james.mailbox.model.MessageResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;

/**
 * Learning from users, as mailcow and Stalwart do: a message a user moves or copies into the
 * Junk folder (over IMAP) is taught to spamd as spam; one moved out of Junk, anywhere but Trash,
 * as ham. Mail the server itself delivers into Junk teaches nothing.
 *
 * <p>The store announces a move as an {@code Added} event in the target folder (with the uids
 * there) followed by a {@code MessageMoveEvent} (source and target folders, message ids); this
 * listener runs synchronously and only notes where the added messages are, and hands everything
 * else (which folders, reading the messages, the {@code TELL}) to a thread of its own, so an IMAP
 * MOVE never waits for it or for spamd.</p>
 */
public class JunkLearning implements EventListener.GroupEventListener {

    public static class JunkLearningGroup extends Group {
    }

    /** The Junk and Trash folder names, and spamd's {@code User} for the Bayes data (empty: spamd's own). */
    public record Settings(boolean enabled, String junkFolder, String trashFolder, Optional<String> spamdUser) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(JunkLearning.class);
    private static final Group GROUP = new JunkLearningGroup();

    private record Placement(MailboxId mailbox, MessageUid uid) {
    }

    /**
     * A move's Added event and its MessageMoveEvent come one after the other for the same user
     * and target (two sessions of one user moving into one folder at the same instant could be
     * mixed up; an APPEND's Added event is overwritten by the next move's, or expires).
     */
    private record PendingKey(Username user, MailboxId target) {
    }

    private final MailboxManager mailboxManager;
    private final SpamdClient spamd;
    private final Settings settings;
    private final ExecutorService learner = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "junk-learning");
        thread.setDaemon(true);
        return thread;
    });
    /* An APPEND also gives a non-delivery Added event and no move: such entries just expire. */
    private final Cache<PendingKey, List<MessageUid>> recentlyAdded = CacheBuilder.newBuilder()
        .maximumSize(100_000).expireAfterWrite(Duration.ofMinutes(10)).build();
    private final AtomicLong learntSpam = new AtomicLong();
    private final AtomicLong learntHam = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();

    public JunkLearning(MailboxManager mailboxManager, SpamdClient spamd, Settings settings) {
        this.mailboxManager = mailboxManager;
        this.spamd = spamd;
        this.settings = settings;
    }

    @Override
    public Group getDefaultGroup() {
        return GROUP;
    }

    @Override
    public boolean isHandling(Event event) {
        return settings.enabled()
            && ((event instanceof MailboxEvents.Added added && !added.isDelivery()) || event instanceof MessageMoveEvent);
    }

    /*
     * Runs on the IMAP command's path, synchronously: it must neither block nor throw (the event
     * bus retries a failing synchronous listener, and the command waits for it).
     */
    @Override
    public void event(Event event) {
        try {
            if (event instanceof MailboxEvents.Added added) {
                recentlyAdded.put(new PendingKey(added.getUsername(), added.getMailboxId()), List.copyOf(added.getUids()));
            } else if (event instanceof MessageMoveEvent move) {
                List<Placement> placed = new java.util.ArrayList<>();
                for (MailboxId target : move.getMessageMoves().addedMailboxIds()) {
                    PendingKey key = new PendingKey(move.getUsername(), target);
                    List<MessageUid> uids = recentlyAdded.getIfPresent(key);
                    recentlyAdded.invalidate(key);
                    if (uids != null) {
                        uids.forEach(uid -> placed.add(new Placement(target, uid)));
                    }
                }
                learner.submit(() -> onMove(move, placed));
            }
        } catch (RuntimeException e) {
            failures.incrementAndGet();
            LOG.warn("learn: event {} not handled: {}", event.getClass().getSimpleName(), e.toString());
        }
    }

    private void onMove(MessageMoveEvent move, List<Placement> placed) {
        Username user = move.getUsername();
        MailboxSession session = mailboxManager.createSystemSession(user);
        try {
            Optional<MailboxId> junk = idOf(user, settings.junkFolder(), session);
            if (junk.isEmpty()) {
                return;
            }
            Optional<MailboxId> trash = idOf(user, settings.trashFolder(), session);
            boolean intoJunk = move.getMessageMoves().addedMailboxIds().contains(junk.get());
            boolean outOfJunk = !intoJunk && move.getMessageMoves().removedMailboxIds().contains(junk.get())
                && trash.map(id -> !move.getMessageMoves().addedMailboxIds().contains(id)).orElse(true);
            if (!intoJunk && !outOfJunk) {
                return;
            }
            SpamdClient.LearnAs as = intoJunk ? SpamdClient.LearnAs.SPAM : SpamdClient.LearnAs.HAM;
            // a copy out of Junk also lists Junk among the targets: learn from the copies elsewhere
            List<Placement> moved = placed.stream()
                .filter(placement -> intoJunk == placement.mailbox().equals(junk.get()))
                .toList();
            if (moved.size() < move.getMessageIds().size()) {
                LOG.warn("learn: {}: {} of {} moved messages not found to learn from", user.asString(),
                    move.getMessageIds().size() - moved.size(), move.getMessageIds().size());
            }
            learn(user, moved, as, session);
        } catch (MailboxException | RuntimeException e) {
            failures.incrementAndGet();
            LOG.warn("learn: {}: moved messages not learnt: {}", user.asString(), e.toString());
        } finally {
            mailboxManager.endProcessingRequest(session);
        }
    }

    private Optional<MailboxId> idOf(Username user, String folder, MailboxSession session) throws MailboxException {
        MailboxPath path = MailboxPath.forUser(user, folder);
        if (!Boolean.TRUE.equals(reactor.core.publisher.Mono.from(mailboxManager.mailboxExists(path, session)).block())) {
            return Optional.empty();
        }
        return Optional.of(mailboxManager.getMailbox(path, session).getId());
    }

    private void learn(Username user, List<Placement> messages, SpamdClient.LearnAs as, MailboxSession session) {
        for (Placement placement : messages) {
            try {
                MessageManager mailbox = mailboxManager.getMailbox(placement.mailbox(), session);
                Iterator<MessageResult> results = mailbox.getMessages(MessageRange.one(placement.uid()), FetchGroup.FULL_CONTENT, session);
                if (!results.hasNext()) {
                    continue;
                }
                byte[] content;
                try (InputStream in = results.next().getFullContent().getInputStream()) {
                    content = in.readAllBytes();
                }
                boolean changed = spamd.learn(content, as, settings.spamdUser());
                (as == SpamdClient.LearnAs.SPAM ? learntSpam : learntHam).incrementAndGet();
                LOG.info("learn: {} moved uid {} {}: spamd {} it as {}", user.asString(), placement.uid().asLong(),
                    as == SpamdClient.LearnAs.SPAM ? "into " + settings.junkFolder() : "out of " + settings.junkFolder(),
                    changed ? "learnt" : "already knew", as.name().toLowerCase(java.util.Locale.ROOT));
            } catch (MailboxException | IOException e) {
                failures.incrementAndGet();
                LOG.warn("learn: {} uid {}: not learnt: {}", user.asString(), placement.uid().asLong(), e.getMessage());
            }
        }
    }

    public long learntSpam() {
        return learntSpam.get();
    }

    public long learntHam() {
        return learntHam.get();
    }

    public long failures() {
        return failures.get();
    }
}
