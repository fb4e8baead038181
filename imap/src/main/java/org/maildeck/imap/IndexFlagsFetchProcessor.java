package org.maildeck.imap;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.inject.Inject;
import javax.mail.Flags;

import org.apache.james.imap.api.ImapConstants;
import org.apache.james.imap.api.message.FetchData;
import org.apache.james.imap.api.message.FetchData.Item;
import org.apache.james.imap.api.message.IdRange;
import org.apache.james.imap.api.message.response.StatusResponseFactory;
import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.api.process.SelectedMailbox;
import org.apache.james.imap.message.request.FetchRequest;
import org.apache.james.imap.message.response.FetchResponse;
import org.apache.james.imap.processor.EnableProcessor;
import org.apache.james.mailbox.MailboxManager;
import org.apache.james.mailbox.MessageUid;
import org.apache.james.mailbox.model.MessageRange;
import org.apache.james.metrics.api.MetricFactory;
import org.maildeck.imap.binary.BinaryFetchProcessor;
import org.maildeck.maildir.IndexEntry;
import org.maildeck.maildir.MaildirFolder;
import org.maildeck.maildir.james.LeafCalls;
import org.maildeck.maildir.james.MaildirMailboxId;
import org.maildeck.maildir.james.MaildirMailboxes;

import com.google.inject.AbstractModule;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * FETCH of FLAGS and UID alone in one's own selected folder (what a mail reader asks of a whole
 * folder to refresh its list) answered from the folder index in one read: each message's flags
 * go straight into its FETCH response. James's path looks the mailbox up, makes a metadata
 * record, a message id and a thread id per message and then runs a chain of Reactor operators
 * per message to build its response: cheap once compiled, but a 1,000-message folder's first
 * FETCH of the server's life ran all of it interpreted (bench/imap-maildir's UID FETCH FLAGS of
 * k10 at 20× Dovecot).
 *
 * <p>The answer is James's: the same index read after the same folder sync (so another
 * program's change is seen), \Recent from the session's view, a message the session does not know
 * of left out, then James's unsolicited responses and OK. Everything else goes to James's FETCH:
 * other items (MODSEQ, CHANGEDSINCE and VANISHED among them), a session with QRESYNC enabled
 * (whose FETCH responses always carry the UID), another user's folder (rights), a folder gone or
 * unreadable and an invalid message set (James's NO and BAD).
 */
public class IndexFlagsFetchProcessor extends BinaryFetchProcessor {

    private final MaildirMailboxes mailboxes;

    @Inject
    public IndexFlagsFetchProcessor(MailboxManager mailboxManager, StatusResponseFactory responses, MetricFactory metricFactory,
                                    MaildirMailboxes mailboxes) {
        super(mailboxManager, responses, metricFactory);
        this.mailboxes = mailboxes;
    }

    /** One message's UID and flags as the index has them. */
    private record Flagged(long uid, Flags flags) {
    }

    @Override
    protected Mono<Void> processRequestReactive(FetchRequest request, ImapSession session, Responder responder) {
        SelectedMailbox selected = session.getSelected();
        FetchData fetch = request.getFetch();
        if (selected == null || !flagsAlone(fetch, session)
            || !(selected.getMailboxId() instanceof MaildirMailboxId id)
            || !id.owner().equals(session.getMailboxSession().getUser())) {
            return super.processRequestReactive(request, session, responder);
        }
        Optional<List<MessageRange>> ranges = ranges(request, selected);
        if (ranges.isEmpty()) {
            return super.processRequestReactive(request, session, responder);
        }
        // Only the read on the store's threads, as IndexStatusProcessor: the rest (James's
        // unsolicited responses among it) runs off that pool, whose tasks never wait on one another.
        return LeafCalls.of(() -> read(id, ranges.get()))
            .publishOn(Schedulers.boundedElastic())
            .flatMap(read -> read.isEmpty()
                ? super.processRequestReactive(request, session, responder)
                : Mono.fromRunnable(() -> respond(fetch, selected, read.get(), responder))
                    .then(unsolicitedResponses(session, responder, !request.isUseUids(), request.isUseUids()))
                    .then(Mono.fromRunnable(() -> okComplete(request, responder))));
    }

    private static boolean flagsAlone(FetchData fetch, ImapSession session) {
        return fetch.isOnlyFlags() && !fetch.contains(Item.MODSEQ) && fetch.getChangedSince() == -1
            && !fetch.getVanished() && !fetch.isSetSeen()
            && !EnableProcessor.getEnabledCapabilities(session).contains(ImapConstants.SUPPORTS_QRESYNC);
    }

    /** The UID ranges James's FETCH would read, or empty for a set it answers BAD to. */
    private Optional<List<MessageRange>> ranges(FetchRequest request, SelectedMailbox selected) {
        List<MessageRange> ranges = new ArrayList<>();
        try {
            for (IdRange range : request.getIdSet()) {
                Optional<MessageRange> set = messageRange(selected, range, request.isUseUids());
                if (set.isEmpty()) {
                    return Optional.empty();
                }
                ranges.add(normalizeMessageRange(selected, set.get()));
            }
        } catch (Exception invalid) {
            return Optional.empty();
        }
        return Optional.of(ranges);
    }

    /** Empty when the folder is gone or unreadable: James's path then answers as it does for it. */
    private Optional<List<Flagged>> read(MaildirMailboxId id, List<MessageRange> ranges) {
        try {
            Optional<String> name = mailboxes.nameOf(id);
            if (name.isEmpty()) {
                return Optional.empty();
            }
            MaildirFolder folder = mailboxes.folder(id.owner(), name.get());
            List<Flagged> read = new ArrayList<>();
            synchronized (folder) {
                folder.sync();
                for (MessageRange range : ranges) {
                    for (IndexEntry entry : folder.entries(range.getUidFrom().asLong(), range.getUidTo().asLong())) {
                        read.add(new Flagged(entry.uid(), folder.flagsOf(entry)));
                    }
                }
            }
            return Optional.of(read);
        } catch (Exception unreadable) {
            return Optional.empty();
        }
    }

    private static void respond(FetchData fetch, SelectedMailbox selected, List<Flagged> read, Responder responder) {
        boolean withFlags = fetch.contains(Item.FLAGS);
        boolean withUid = fetch.contains(Item.UID);
        for (Flagged message : read) {
            MessageUid uid = MessageUid.of(message.uid());
            selected.msn(uid).ifPresent(msn -> {
                Flags flags = null;
                if (withFlags) {
                    flags = message.flags();
                    // \Recent is the session's (RFC 3501 §2.3.2: one session only), not the
                    // folder's, which the index gives every session that has not claimed it
                    if (selected.isRecent(uid)) {
                        flags.add(Flags.Flag.RECENT);
                    } else {
                        flags.remove(Flags.Flag.RECENT);
                    }
                }
                responder.respond(new FetchResponse(msn, flags, withUid ? uid : null,
                    null, null, null, null, null, null, null, null, null, null));
            });
        }
    }

    /** Binds James's FETCH (through BINARY's, {@link org.maildeck.imap.binary.BinaryModule}) to this one. */
    public static final class Module extends AbstractModule {
        @Override
        protected void configure() {
            bind(BinaryFetchProcessor.class).to(IndexFlagsFetchProcessor.class);
        }
    }
}
