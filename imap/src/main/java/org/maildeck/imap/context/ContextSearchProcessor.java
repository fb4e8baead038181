package org.maildeck.imap.context;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.inject.Inject;

import org.apache.james.imap.api.display.HumanReadableText;
import org.apache.james.imap.api.message.Capability;
import org.apache.james.imap.api.message.IdRange;
import org.apache.james.imap.api.message.request.SearchResultOption;
import org.apache.james.imap.api.message.response.ImapResponseMessage;
import org.apache.james.imap.api.message.response.StatusResponseFactory;
import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.processor.AbstractMailboxProcessor;
import org.apache.james.imap.processor.CapabilityImplementingProcessor;
import org.apache.james.mailbox.MailboxManager;
import org.apache.james.mailbox.ModSeq;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.util.MDCBuilder;
import org.maildeck.imap.sort.SearchedMessages;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * SEARCH with RFC 5267's return options: the messages are found by James's SEARCH
 * ({@link SearchedMessages}), the ESEARCH answer carries MIN, MAX, ALL, COUNT and MODSEQ as
 * RFC 4731 has them and {@code PARTIAL (range set)} (§4.4: the range-th messages of the result,
 * in mailbox order, NIL for none), and with UPDATE the result is kept as a context of the session
 * ({@link SearchContexts}), whose changes {@link ContextUpdates} sends. Announces CONTEXT=SEARCH.
 */
public class ContextSearchProcessor extends AbstractMailboxProcessor<ContextSearchRequest> implements CapabilityImplementingProcessor {

    private static final List<Capability> CAPABILITIES = List.of(Capability.of("CONTEXT=SEARCH"));
    private static final HumanReadableText DUPLICATE_TAG = new HumanReadableText("org.maildeck.imap.CONTEXT_DUPLICATE",
        "An updating search with this tag is already active");

    private final SearchedMessages searched;
    private final StatusResponseFactory responses;

    @Inject
    public ContextSearchProcessor(MailboxManager mailboxManager, StatusResponseFactory responses, MetricFactory metricFactory,
                                  SearchedMessages searched) {
        super(ContextSearchRequest.class, mailboxManager, responses, metricFactory);
        this.searched = searched;
        this.responses = responses;
    }

    @Override
    protected Mono<Void> processRequestReactive(ContextSearchRequest request, ImapSession session, Responder responder) {
        ContextReturn options = request.options();
        if (options.update() && SearchContexts.of(session).map(contexts -> contexts.has(request.getTag())).orElse(false)) {
            responder.respond(responses.taggedBad(request.getTag(), request.getCommand(), DUPLICATE_TAG));
            return Mono.empty();
        }
        return searched.answerNumbers(request, request.key(), request.useUids(), session, responder, found -> {
            List<ImapResponseMessage> answer = new ArrayList<>();
            answer.add(answerTo(request, found.numbers(), found.highestModSeq()));
            if (options.update() && session.getSelected() != null) {
                SearchContexts.Context context = new SearchContexts.Context(request.getTag(), request.useUids(), request.key(), found.uids());
                if (!SearchContexts.ofOrNew(session).start(context, session.getSelected())) {
                    answer.add(responses.untaggedNo(new HumanReadableText("org.maildeck.imap.NOUPDATE",
                        "[NOUPDATE \"" + request.getTag().asString() + "\"] Too many updating searches")));
                }
            }
            return Flux.fromIterable(answer);
        });
    }

    private static ContextSearchResponse answerTo(ContextSearchRequest request, List<Long> numbers, Optional<ModSeq> modSeq) {
        List<SearchResultOption> results = request.options().results();
        boolean any = !numbers.isEmpty();
        Optional<ContextReturn.PartialRange> range = request.options().partial();
        return new ContextSearchResponse(request.getTag(), request.useUids(),
            results.contains(SearchResultOption.MIN) && any ? Optional.of(numbers.get(0)) : Optional.empty(),
            results.contains(SearchResultOption.MAX) && any ? Optional.of(numbers.get(numbers.size() - 1)) : Optional.empty(),
            results.contains(SearchResultOption.ALL) && any ? Optional.of(SearchContexts.sequenceSet(numbers)) : Optional.empty(),
            range, range.flatMap(partial -> window(numbers, partial)),
            results.contains(SearchResultOption.COUNT) ? Optional.of((long) numbers.size()) : Optional.empty(),
            modSeq.map(ModSeq::asLong), Optional.empty(), Optional.empty());
    }

    /** The messages at positions first..last (from 1) of the result; none past its end. */
    private static Optional<IdRange[]> window(List<Long> numbers, ContextReturn.PartialRange range) {
        if (range.first() > numbers.size()) {
            return Optional.empty();
        }
        int to = (int) Math.min(numbers.size(), range.last());
        return Optional.of(SearchContexts.sequenceSet(numbers.subList((int) range.first() - 1, to)));
    }

    @Override
    public List<Capability> getImplementedCapabilities(ImapSession session) {
        return CAPABILITIES;
    }

    @Override
    protected MDCBuilder mdc(ContextSearchRequest request) {
        return MDCBuilder.create()
            .addToContext(MDCBuilder.ACTION, "SEARCH")
            .addToContext("useUid", Boolean.toString(request.useUids()));
    }
}
