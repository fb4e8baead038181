package org.maildeck.imap;

import java.util.Optional;

import javax.inject.Inject;

import org.apache.james.imap.api.message.StatusDataItems;
import org.apache.james.imap.api.message.response.StatusResponseFactory;
import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.main.PathConverter;
import org.apache.james.imap.message.request.StatusRequest;
import org.apache.james.imap.message.response.MailboxStatusResponse;
import org.apache.james.imap.processor.StatusProcessor;
import org.apache.james.mailbox.MailboxManager;
import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.MessageUid;
import org.apache.james.mailbox.model.MailboxConstants;
import org.apache.james.mailbox.model.MailboxPath;
import org.apache.james.mailbox.model.UidValidity;
import org.apache.james.metrics.api.MetricFactory;
import org.maildeck.maildir.FolderStatus;
import org.maildeck.maildir.james.LeafCalls;
import org.maildeck.maildir.james.MaildirMailboxes;

import com.google.inject.AbstractModule;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * STATUS of one's own folder for MESSAGES, UIDNEXT, UIDVALIDITY and UNSEEN (what mail readers
 * ask for every folder, every few minutes) answered from the folder's index
 * ({@link MaildirMailboxes#status}): one hop to the store's threads instead of James's mailbox
 * lookup, message manager, rights check and a mapper call per figure, each a hop of its own.
 * That path cost ~0.4 ms of CPU per STATUS against Dovecot's ~0.07 ms (bench/README.md, "Warm
 * IMAP commands"). A folder unchanged since its figures were last read (its directories' and
 * uidlist's stamp the same, {@link MaildirMailboxes#statusIfUnchanged}) is answered on the
 * session's own thread, without that hop either.
 *
 * <p>Everything else goes to James's STATUS unchanged: other items (RECENT, whose claims James's
 * path knows; HIGHESTMODSEQ, which enables CONDSTORE; SIZE, DELETED, MAILBOXID, APPENDLIMIT),
 * another user's or namespace's mailbox, and a folder that does not exist or cannot be read (so
 * the NO is James's). The figures are the ones James's path reads from the same index.
 */
public class IndexStatusProcessor extends StatusProcessor {

    private final MaildirMailboxes mailboxes;

    @Inject
    public IndexStatusProcessor(MailboxManager mailboxManager, StatusResponseFactory factory, MetricFactory metricFactory,
                                MaildirMailboxes mailboxes) {
        super(mailboxManager, factory, metricFactory);
        this.mailboxes = mailboxes;
    }

    @Override
    protected Mono<Void> processRequestReactive(StatusRequest request, ImapSession session, Responder responder) {
        StatusDataItems items = request.getStatusDataItems();
        MailboxSession mailboxSession = session.getMailboxSession();
        MailboxPath path = PathConverter.forSession(session).buildFullPath(request.getMailboxName());
        if (!fromIndexAlone(items) || !ownFolder(path, mailboxSession)) {
            return super.processRequestReactive(request, session, responder);
        }
        Optional<FolderStatus> unchanged = mailboxes.statusIfUnchanged(path.getUser(), path.getName());
        if (unchanged.isPresent()) {
            // On the session's thread: three stat calls, no wait for any lock. Two hand-overs to
            // other threads cost more than the whole answer (bench/README.md, "STATUS on the
            // session's thread").
            responder.respond(response(items, MaildirMailboxes.canonical(path.getName()), unchanged.get()));
            return unsolicitedResponses(session, responder, false)
                .then(Mono.fromRunnable(() -> okComplete(request, responder)));
        }
        // Only the read on the store's threads: the rest (James's unsolicited responses for a
        // selected folder among them) runs where James's STATUS continued, off that pool, whose
        // tasks must never wait for one another (LeafCalls).
        return LeafCalls.of(() -> readable(path))
            .publishOn(Schedulers.boundedElastic())
            .flatMap(status -> status.isEmpty()
                ? super.processRequestReactive(request, session, responder)
                : Mono.fromRunnable(() -> responder.respond(response(items, MaildirMailboxes.canonical(path.getName()), status.get())))
                    .then(unsolicitedResponses(session, responder, false))
                    .then(Mono.fromRunnable(() -> okComplete(request, responder))));
    }

    private Optional<FolderStatus> readable(MailboxPath path) {
        try {
            return mailboxes.status(path.getUser(), path.getName());
        } catch (Exception unreadable) {
            // James's path then meets the same trouble and answers NO as it does for it
            return Optional.empty();
        }
    }

    private static boolean fromIndexAlone(StatusDataItems items) {
        return !items.isRecent() && !items.isHighestModSeq() && !items.isSize() && !items.isDeleted()
            && !items.isDeletedStorage() && !items.isMailboxId() && !items.isAppendLimit();
    }

    private static boolean ownFolder(MailboxPath path, MailboxSession session) {
        return MailboxConstants.USER_NAMESPACE.equals(path.getNamespace())
            && path.getUser() != null && path.getUser().equals(session.getUser());
    }

    private static MailboxStatusResponse response(StatusDataItems items, String name, FolderStatus status) {
        return new MailboxStatusResponse(null, null, null, null,
            items.isMessages() ? status.messages() : null,
            null,
            items.isUidNext() ? MessageUid.of(status.uidNext()) : null,
            null,
            items.isUidValidity() ? UidValidity.of(status.uidValidity()) : null,
            items.isUnseen() ? status.unseen() : null,
            name, null);
    }

    /** Binds James's STATUS to this one. */
    public static final class Module extends AbstractModule {
        @Override
        protected void configure() {
            bind(StatusProcessor.class).to(IndexStatusProcessor.class);
        }
    }
}
