package org.maildeck.imap;

import java.util.List;
import java.util.Optional;

import javax.inject.Inject;

import org.apache.james.imap.api.message.request.SearchResultOption;
import org.apache.james.imap.api.message.response.ImapResponseMessage;
import org.apache.james.imap.api.message.response.StatusResponseFactory;
import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.api.process.SelectedMailbox;
import org.apache.james.imap.message.request.SearchRequest;
import org.apache.james.imap.message.response.ESearchResponse;
import org.apache.james.imap.processor.SearchProcessor;
import org.apache.james.mailbox.MailboxManager;
import org.apache.james.mailbox.MessageUid;
import org.apache.james.mailbox.ModSeq;
import org.apache.james.mailbox.model.ComposedMessageIdWithMetaData;
import org.apache.james.mailbox.model.MessageRange;
import org.apache.james.metrics.api.MetricFactory;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * James's SEARCH, except that an ESEARCH response that returns only MIN and/or MAX of a search
 * with a MODSEQ key reports the highest mod-sequence of those messages, not of every message
 * found (RFC 7162 §3.1.5: "the highest mod-sequence for all messages being returned"; RFC 4731:
 * MIN and MAX return one message each). With ALL or COUNT, every message found is returned
 * and James's value stands.
 *
 * <p>Upstream: no corresponding James change found (SearchProcessor computes the value over all
 * found messages on master, checked 2026-12).
 */
public class ReturnedModSeqSearchProcessor extends SearchProcessor {

    @Inject
    public ReturnedModSeqSearchProcessor(MailboxManager mailboxManager, StatusResponseFactory factory, MetricFactory metricFactory) {
        super(mailboxManager, factory, metricFactory);
    }

    @Override
    protected Mono<Void> processRequestReactive(SearchRequest request, ImapSession session, Responder responder) {
        if (!returnsOnlyMinOrMax(request.getSearchOperation().getResultOptions())) {
            return super.processRequestReactive(request, session, responder);
        }
        return HeldResponses.around(responder, held -> super.processRequestReactive(request, session, held),
            responses -> Flux.fromIterable(responses).concatMap(response -> withReturnedModSeq(response, session)));
    }

    private static boolean returnsOnlyMinOrMax(List<SearchResultOption> options) {
        return options != null
            && (options.contains(SearchResultOption.MIN) || options.contains(SearchResultOption.MAX))
            && !options.contains(SearchResultOption.ALL) && !options.contains(SearchResultOption.COUNT);
    }

    private Mono<ImapResponseMessage> withReturnedModSeq(ImapResponseMessage response, ImapSession session) {
        SelectedMailbox selected = session.getSelected();
        if (!(response instanceof ESearchResponse found) || found.getHighestModSeq() == null || found.getCount() == 0 || selected == null) {
            return Mono.just(response);
        }
        List<SearchResultOption> options = found.getSearchResultOptions();
        Flux<MessageUid> returned = Flux.concat(
            options.contains(SearchResultOption.MIN) ? Mono.justOrEmpty(uid(found.getMinUid(), found.getUseUid(), selected)) : Mono.empty(),
            options.contains(SearchResultOption.MAX) ? Mono.justOrEmpty(uid(found.getMaxUid(), found.getUseUid(), selected)) : Mono.empty());
        return returned
            .concatMap(uid -> Flux.from(selected.getMessageManager().listMessagesMetadata(MessageRange.one(uid), session.getMailboxSession())))
            .map(ComposedMessageIdWithMetaData::getModSeq)
            .reduce((one, other) -> one.compareTo(other) >= 0 ? one : other)
            .map(modSeq -> (ImapResponseMessage) withModSeq(found, modSeq))
            .defaultIfEmpty(found);
    }

    private static Optional<MessageUid> uid(long number, boolean isUid, SelectedMailbox selected) {
        return isUid ? Optional.of(MessageUid.of(number)) : selected.uid((int) number);
    }

    private static ESearchResponse withModSeq(ESearchResponse found, ModSeq modSeq) {
        return new ESearchResponse(found.getMinUid(), found.getMaxUid(), found.getCount(), found.getAll(), modSeq,
            found.getTag(), found.getUseUid(), found.getSearchResultOptions());
    }
}
