package org.maildeck.imap.sort;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import javax.inject.Inject;

import org.apache.james.imap.api.display.HumanReadableText;
import org.apache.james.imap.api.message.request.ImapRequest;
import org.apache.james.imap.api.message.request.SearchKey;
import org.apache.james.imap.api.message.request.SearchOperation;
import org.apache.james.imap.api.message.response.ImapResponseMessage;
import org.apache.james.imap.api.message.response.StatusResponse;
import org.apache.james.imap.api.message.response.StatusResponseFactory;
import org.apache.james.imap.api.process.ImapProcessor.Responder;
import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.api.process.SelectedMailbox;
import org.apache.james.imap.message.request.SearchRequest;
import org.apache.james.imap.message.response.SearchResponse;
import org.apache.james.imap.processor.SearchProcessor;
import org.apache.james.mailbox.MailboxManager;
import org.apache.james.mailbox.MessageUid;
import org.apache.james.mailbox.ModSeq;
import org.maildeck.imap.HeldResponses;
import org.reactivestreams.Publisher;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The messages a SORT or THREAD command's search keys match, with their {@link SortFields} from
 * the {@link SortFieldCache} (or, for a SEARCH with RFC 5267's return options, only their numbers). They are found by James's SEARCH itself (the
 * processor bound for SEARCH, with its key conversion, its errors, its MODSEQ handling and its
 * unsolicited responses): the command runs as a SEARCH against held responses, its
 * {@code * SEARCH} is replaced by the command's own answer and its tagged reply renamed for the
 * command. A non-UID command's SEARCH sends no EXPUNGE, so the sequence numbers found stay those
 * the client knows while the answer is computed.
 */
public final class SearchedMessages {

    /** The messages found, numbered as the answer numbers them (UIDs or sequence numbers), in mailbox order. */
    record Found(List<Numbered> messages, Optional<ModSeq> highestModSeq) {
    }

    /** What SEARCH found: the numbers the answer gives the messages, their UIDs, in mailbox order, and MODSEQ's value. */
    public record Numbers(List<Long> numbers, List<MessageUid> uids, Optional<ModSeq> highestModSeq) {

        Found with(Map<Long, SortFields> fieldsByUid) {
            List<Numbered> numbered = new ArrayList<>(numbers.size());
            for (int i = 0; i < numbers.size(); i++) {
                numbered.add(new Numbered(numbers.get(i), fieldsByUid.get(uids.get(i).asLong())));
            }
            return new Found(numbered, highestModSeq);
        }
    }

    private final SearchProcessor search;
    private final StatusResponseFactory responses;
    private final SortFieldCache cache;
    private final MailboxManager mailboxes;

    @Inject
    SearchedMessages(SearchProcessor search, StatusResponseFactory responses, SortFieldCache cache, MailboxManager mailboxes) {
        this.search = search;
        this.responses = responses;
        this.cache = cache;
        this.mailboxes = mailboxes;
    }

    /** Runs the search, then sends what {@code answer} makes of the messages found in place of its {@code * SEARCH}. */
    Mono<Void> answer(ImapRequest request, SearchKey key, boolean useUids, ImapSession session, Responder client,
                      Function<Found, List<ImapResponseMessage>> answer) {
        return answerNumbers(request, key, useUids, session, client, numbers -> Mono.justOrEmpty(session.getSelected())
            .flatMap(selected -> Mono.from(mailboxes.getMailboxReactive(selected.getMailboxId(), session.getMailboxSession())))
            .flatMap(mailbox -> cache.fieldsOf(mailbox, session.getMailboxSession(), numbers.uids()))
            .flatMapIterable(fields -> answer.apply(numbers.with(fields))));
    }

    /** {@code uids} in the order of {@code criteria}, ties by mailbox order; a message gone meanwhile is left out. */
    Mono<List<MessageUid>> inOrder(ImapSession session, Collection<MessageUid> uids, List<SortKey.Criterion> criteria) {
        return Mono.justOrEmpty(session.getSelected())
            .flatMap(selected -> Mono.from(mailboxes.getMailboxReactive(selected.getMailboxId(), session.getMailboxSession())))
            .flatMap(mailbox -> cache.fieldsOf(mailbox, session.getMailboxSession(), uids))
            .map(fields -> uids.stream()
                .filter(uid -> fields.containsKey(uid.asLong()))
                .map(uid -> new Numbered(uid.asLong(), fields.get(uid.asLong())))
                .sorted(SortKey.order(criteria))
                .map(message -> MessageUid.of(message.number()))
                .toList())
            .defaultIfEmpty(List.of());
    }

    /** Runs the search, then sends what {@code answer} makes of the numbers found in place of its {@code * SEARCH}. */
    public Mono<Void> answerNumbers(ImapRequest request, SearchKey key, boolean useUids, ImapSession session, Responder client,
                                    Function<Numbers, Publisher<ImapResponseMessage>> answer) {
        SearchRequest searching = new SearchRequest(new SearchOperation(key, new ArrayList<>()), useUids, request.getTag());
        return HeldResponses.around(client, held -> search.processReactive(searching, held, session),
            held -> Flux.fromIterable(held).concatMap(response -> {
                if (response instanceof SearchResponse found) {
                    return answer.apply(numbers(found, useUids, session));
                }
                if (response instanceof StatusResponse status && status.getTag() != null) {
                    return Flux.just(forCommand(status, request));
                }
                return Flux.just(response);
            }));
    }

    private static Numbers numbers(SearchResponse response, boolean useUids, ImapSession session) {
        SelectedMailbox selected = session.getSelected();
        List<Long> numbers = new ArrayList<>(response.getIds());
        numbers.sort(null);
        List<Long> kept = new ArrayList<>(numbers.size());
        List<MessageUid> uids = new ArrayList<>(numbers.size());
        for (long number : numbers) {
            Optional<MessageUid> uid = useUids ? Optional.of(MessageUid.of(number)) : selected.uid((int) number);
            if (uid.isPresent()) {
                kept.add(number);
                uids.add(uid.get());
            }
        }
        return new Numbers(kept, uids, Optional.ofNullable(response.getHighestModSeq()));
    }

    /** SEARCH's tagged reply as the command's: {@code OK SORT completed.}, or its NO or BAD with the command's name. */
    private StatusResponse forCommand(StatusResponse status, ImapRequest request) {
        return switch (status.getServerResponseType()) {
            case OK -> responses.taggedOk(status.getTag(), request.getCommand(), HumanReadableText.COMPLETED, status.getResponseCode());
            case NO -> responses.taggedNo(status.getTag(), request.getCommand(), status.getTextKey(), status.getResponseCode());
            case BAD -> responses.taggedBad(status.getTag(), request.getCommand(), status.getTextKey(), status.getResponseCode());
            default -> status;
        };
    }
}
