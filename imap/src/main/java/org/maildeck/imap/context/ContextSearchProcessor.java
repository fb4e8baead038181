package org.maildeck.imap.context;

import java.util.ArrayList;
import java.util.List;

import javax.inject.Inject;

import org.apache.james.imap.api.message.Capability;
import org.apache.james.imap.api.message.response.ImapResponseMessage;
import org.apache.james.imap.api.message.response.StatusResponseFactory;
import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.processor.AbstractMailboxProcessor;
import org.apache.james.imap.processor.CapabilityImplementingProcessor;
import org.apache.james.mailbox.MailboxManager;
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
        if (SearchContexts.refusedAsDuplicate(request, options.update(), session, responder, responses)) {
            return Mono.empty();
        }
        return searched.answerNumbers(request, request.key(), request.useUids(), session, responder, found -> {
            List<ImapResponseMessage> answer = new ArrayList<>();
            answer.add(ContextSearchResponse.result(request.getTag(), request.useUids(), options, found.numbers(),
                SearchContexts::inOrder, found.highestModSeq()));
            if (options.update()) {
                SearchContexts.keep(session, new SearchContexts.Context(request.getTag(), request.useUids(), request.key(),
                    ResultOrder.MAILBOX, found.uids()), responses).ifPresent(answer::add);
            }
            return Flux.fromIterable(answer);
        });
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
