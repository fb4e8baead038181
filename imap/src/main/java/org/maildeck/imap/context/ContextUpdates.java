package org.maildeck.imap.context;

import java.util.ArrayList;
import java.util.List;

import org.apache.james.imap.api.ImapConfiguration;
import org.apache.james.imap.api.ImapMessage;
import org.apache.james.imap.api.Tag;
import org.apache.james.imap.api.message.IdRange;
import org.apache.james.imap.api.message.request.ImapRequest;
import org.apache.james.imap.api.message.response.ImapResponseMessage;
import org.apache.james.imap.api.message.response.StatusResponse;
import org.apache.james.imap.api.process.ImapProcessor;
import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.api.process.SelectedMailbox;
import org.apache.james.imap.message.request.AbstractMailboxSelectionRequest;
import org.apache.james.imap.message.request.CloseRequest;
import org.apache.james.imap.message.request.LogoutRequest;
import org.apache.james.imap.message.request.UnselectRequest;
import org.apache.james.imap.message.response.ExpungeResponse;
import org.apache.james.imap.message.response.VanishedResponse;
import org.apache.james.mailbox.MessageUid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The updates of a session's searches with RETURN (UPDATE) (RFC 5267 §4.3), sent as
 * {@code * ESEARCH (TAG "t") [UID] REMOVEFROM (0 set) ADDTO (0 set)}, and of its sorts with
 * RETURN (UPDATE) (CONTEXT=SORT), whose REMOVEFROM and ADDTO give each run's position in the
 * sorted result instead of 0, removals first, each position counted after the runs before it.
 *
 * <p>When: after each command of a session that has such searches, before the command's tagged
 * reply, so that a STORE, an APPEND or a NOOP that brought other sessions' changes is answered
 * with the updates they caused, after its EXISTS and FETCH responses (whose numbers the updates
 * use). How: each search is run again ({@link QuietSearch}) and compared with the result the
 * client knows; Dovecot updates its results incrementally, this costs one search per context and
 * command, only for sessions that asked for updates. An expunged message leaves a result with a
 * REMOVEFROM sent just before its EXPUNGE, in the numbers the client still has then (as Dovecot
 * does; after the EXPUNGE its sequence number would name the next message). During IDLE the
 * expunges are told so, other changes after DONE.
 */
public final class ContextUpdates implements ImapProcessor {

    private static final Logger LOGGER = LoggerFactory.getLogger(ContextUpdates.class);

    private final ImapProcessor next;
    private final QuietSearch search;

    public ContextUpdates(ImapProcessor next, QuietSearch search) {
        this.next = next;
        this.search = search;
    }

    @Override
    public Mono<Void> processReactive(ImapMessage message, Responder responder, ImapSession session) {
        return Mono.defer(() -> {
            SearchContexts contexts = SearchContexts.of(session).orElse(null);
            if (contexts != null && deselects(message)) {
                contexts.endAll();
            }
            if (contexts == null || !(message instanceof ImapRequest request) || contexts.alive(session).isEmpty()) {
                return next.processReactive(message, responder, session);
            }
            TaggedLast command = new TaggedLast(responder, request.getTag(), contexts, session);
            Mono<Void> updates = message instanceof ContextSearchRequest ? Mono.empty()
                : updates(contexts, session, responder).onErrorResume(error -> {
                    LOGGER.warn("search context updates failed; the client's results stay as they were", error);
                    return Mono.empty();
                });
            return next.processReactive(message, command, session)
                .then(updates)
                .doFinally(any -> command.release());
        });
    }

    private static boolean deselects(ImapMessage message) {
        return message instanceof AbstractMailboxSelectionRequest || message instanceof CloseRequest || message instanceof UnselectRequest
            || message instanceof LogoutRequest;
    }

    private Mono<Void> updates(SearchContexts contexts, ImapSession session, Responder client) {
        return Flux.fromIterable(contexts.alive(session))
            .concatMap(context -> search.resultNow(context, session)
                .flatMap(found -> context.order.arrange(session, found))
                .doOnNext(now -> {
                    SearchContexts.Change change = contexts.replace(context, now);
                    SelectedMailbox selected = session.getSelected();
                    if (!change.isEmpty() && selected != null) {
                        client.respond(ContextSearchResponse.update(context.tag, context.useUids,
                            numbered(change.removed(), context.useUids, selected), numbered(change.added(), context.useUids, selected)));
                    }
                }))
            .then();
    }

    /** The runs as the client numbers the messages (UIDs or sequence numbers), each in its order. */
    private static List<ContextSearchResponse.Positioned> numbered(List<SearchContexts.Run> runs, boolean useUids, SelectedMailbox selected) {
        List<ContextSearchResponse.Positioned> numbered = new ArrayList<>();
        for (SearchContexts.Run run : runs) {
            List<Long> numbers = new ArrayList<>();
            for (MessageUid uid : run.uids()) {
                if (useUids) {
                    numbers.add(uid.asLong());
                } else {
                    selected.msn(uid).asInt().ifPresent(msn -> numbers.add((long) msn));
                }
            }
            if (!numbers.isEmpty()) {
                numbered.add(new ContextSearchResponse.Positioned(run.position(), SearchContexts.inOrder(numbers)));
            }
        }
        return numbered;
    }

    @Override
    public void configure(ImapConfiguration imapConfiguration) {
        next.configure(imapConfiguration);
    }

    /**
     * A command's responses on their way: its tagged reply held until the updates are sent, and
     * a REMOVEFROM before each EXPUNGE (or VANISHED) of a message in a result.
     */
    private static final class TaggedLast implements Responder {
        private final Responder client;
        private final Tag tag;
        private final SearchContexts contexts;
        private final ImapSession session;
        private StatusResponse tagged;

        TaggedLast(Responder client, Tag tag, SearchContexts contexts, ImapSession session) {
            this.client = client;
            this.tag = tag;
            this.contexts = contexts;
            this.session = session;
        }

        @Override
        public synchronized void respond(ImapResponseMessage message) {
            if (message instanceof StatusResponse status && tag.equals(status.getTag())) {
                tagged = status;
                return;
            }
            if (message instanceof ExpungeResponse || message instanceof VanishedResponse) {
                removeExpunged(message);
            }
            client.respond(message);
        }

        private void removeExpunged(ImapResponseMessage expunge) {
            SelectedMailbox selected = session.getSelected();
            if (selected == null) {
                return;
            }
            for (SearchContexts.Context context : contexts.alive(session)) {
                List<SearchContexts.Run> gone = contexts.leftTheView(context, selected);
                if (gone.isEmpty()) {
                    continue;
                }
                if (context.useUids) {
                    client.respond(ContextSearchResponse.update(context.tag, true, numbered(gone, true, selected), List.of()));
                } else if (expunge instanceof ExpungeResponse one) {
                    // the message being expunged still has this number: it is the one that left
                    long position = gone.get(0).position();
                    one.getMessageSequenceNumber().asInt().ifPresent(msn -> client.respond(ContextSearchResponse.update(context.tag, false,
                        List.of(new ContextSearchResponse.Positioned(position, new IdRange[] {new IdRange(msn)})), List.of())));
                }
            }
        }

        @Override
        public void flush() {
            client.flush();
        }

        synchronized void release() {
            if (tagged != null) {
                client.respond(tagged);
                tagged = null;
                client.flush();
            }
        }
    }
}
