package org.maildeck.imap.sort;

import java.util.ArrayList;
import java.util.List;

import javax.inject.Inject;

import org.apache.james.imap.api.message.Capability;
import org.apache.james.imap.api.message.IdRange;
import org.apache.james.imap.api.message.request.SearchResultOption;
import org.apache.james.imap.api.message.response.ImapResponseMessage;
import org.apache.james.imap.api.message.response.StatusResponseFactory;
import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.api.process.SearchResUtil;
import org.apache.james.imap.message.response.ESearchResponse;
import org.apache.james.imap.processor.AbstractMailboxProcessor;
import org.apache.james.imap.processor.CapabilityImplementingProcessor;
import org.apache.james.mailbox.MailboxManager;
import org.apache.james.mailbox.MessageUid;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.util.MDCBuilder;
import org.maildeck.imap.context.ContextSearchResponse;
import org.maildeck.imap.context.SearchContexts;

import reactor.core.publisher.Mono;

/**
 * SORT (RFC 5256 §3), SORT=DISPLAY (RFC 5957) and ESORT (RFC 5267 §3.2): the messages the search
 * keys match, ordered by the {@link SortFields} of {@link SortFieldCache}, then by mailbox order.
 * With RETURN, the answer is an ESEARCH response in which MIN and MAX are the first and the last
 * message in sort order and ALL lists the messages in sort order (ranges only where the sort
 * order runs upwards by one); with CONTEXT=SORT's PARTIAL or UPDATE, see {@link #contextual}.
 */
public class SortProcessor extends AbstractMailboxProcessor<SortRequest> implements CapabilityImplementingProcessor {

    private static final List<Capability> CAPABILITIES = List.of(Capability.of("SORT"), Capability.of("SORT=DISPLAY"), Capability.of("ESORT"),
        Capability.of("CONTEXT=SORT"));

    private final SearchedMessages searched;
    private final StatusResponseFactory responses;

    @Inject
    public SortProcessor(MailboxManager mailboxManager, StatusResponseFactory responses, MetricFactory metricFactory,
                         SearchedMessages searched) {
        super(SortRequest.class, mailboxManager, responses, metricFactory);
        this.searched = searched;
        this.responses = responses;
    }

    @Override
    protected Mono<Void> processRequestReactive(SortRequest request, ImapSession session, Responder responder) {
        if (SearchContexts.refusedAsDuplicate(request, request.updates(), session, responder, responses)) {
            return Mono.empty();
        }
        return searched.answer(request, request.searchKey(), request.useUids(), session, responder, found -> {
            List<Numbered> inOrder = found.messages().stream().sorted(SortKey.order(request.criteria())).toList();
            List<Long> sorted = inOrder.stream().map(Numbered::number).toList();
            if (!request.isExtended()) {
                return List.of(new SortResponse(sorted, found.highestModSeq()));
            }
            return request.isContextual() ? contextual(request, session, inOrder, sorted, found) : extended(request, session, sorted, found);
        });
    }

    /**
     * CONTEXT=SORT (RFC 5267 §4): PARTIAL is a window on the result in sort order (§4.4), and
     * UPDATE keeps the result, in sort order, as a context of the session whose changes
     * ContextUpdates sends with their positions (§4.3).
     */
    private List<ImapResponseMessage> contextual(SortRequest request, ImapSession session, List<Numbered> inOrder, List<Long> sorted,
                                                 SearchedMessages.Found found) {
        List<ImapResponseMessage> answer = new ArrayList<>();
        answer.add(ContextSearchResponse.result(request.getTag(), request.useUids(), request.returned(), sorted, SearchContexts::inOrder,
            found.highestModSeq()));
        if (request.updates()) {
            List<MessageUid> uids = inOrder.stream().map(message -> MessageUid.of(message.fields().uid())).toList();
            SearchContexts.keep(session, new SearchContexts.Context(request.getTag(), request.useUids(), request.searchKey(),
                new SortedResult(searched, request.criteria()), uids), responses).ifPresent(answer::add);
        }
        return answer;
    }

    private static List<ImapResponseMessage> extended(SortRequest request, ImapSession session, List<Long> sorted, SearchedMessages.Found found) {
        List<SearchResultOption> options = request.returnOptions();
        long min = sorted.isEmpty() ? -1 : sorted.get(0);
        long max = sorted.isEmpty() ? -1 : sorted.get(sorted.size() - 1);
        if (options.contains(SearchResultOption.SAVE)) {
            save(session, options, sorted, min, max);
        }
        if (options.stream().allMatch(SearchResultOption.SAVE::equals)) {
            return List.of(); // RFC 5182 §2.4: SAVE alone returns nothing
        }
        return List.of(new ESearchResponse(min, max, sorted.size(), SearchContexts.inOrder(sorted), found.highestModSeq().orElse(null),
            request.getTag(), request.useUids(), options));
    }

    /** RFC 5182 §2.1 as James's SEARCH does it: all found with ALL or COUNT, else what MIN and MAX return. */
    private static void save(ImapSession session, List<SearchResultOption> options, List<Long> numbers, long min, long max) {
        List<IdRange> saved = new ArrayList<>();
        boolean all = options.contains(SearchResultOption.ALL) || options.contains(SearchResultOption.COUNT)
            || !options.contains(SearchResultOption.MIN) && !options.contains(SearchResultOption.MAX);
        if (all) {
            numbers.forEach(number -> saved.add(new IdRange(number)));
        } else {
            if (options.contains(SearchResultOption.MIN) && min > 0) {
                saved.add(new IdRange(min));
            }
            if (options.contains(SearchResultOption.MAX) && max > 0) {
                saved.add(new IdRange(max));
            }
        }
        SearchResUtil.saveSequenceSet(session, IdRange.mergeRanges(saved).toArray(IdRange[]::new));
    }

    @Override
    public List<Capability> getImplementedCapabilities(ImapSession session) {
        return CAPABILITIES;
    }

    @Override
    protected MDCBuilder mdc(SortRequest request) {
        return MDCBuilder.create()
            .addToContext(MDCBuilder.ACTION, "SORT")
            .addToContext("useUid", Boolean.toString(request.useUids()));
    }
}
