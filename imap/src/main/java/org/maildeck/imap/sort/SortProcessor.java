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
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.util.MDCBuilder;

import reactor.core.publisher.Mono;

/**
 * SORT (RFC 5256 §3), SORT=DISPLAY (RFC 5957) and ESORT (RFC 5267 §3.2): the messages the search
 * keys match, ordered by the {@link SortFields} of {@link SortFieldCache}, then by mailbox order.
 * With RETURN, the answer is an ESEARCH response in which MIN and MAX are the first and the last
 * message in sort order and ALL lists the messages in sort order (ranges only where the sort
 * order runs upwards by one).
 */
public class SortProcessor extends AbstractMailboxProcessor<SortRequest> implements CapabilityImplementingProcessor {

    private static final List<Capability> CAPABILITIES = List.of(Capability.of("SORT"), Capability.of("SORT=DISPLAY"), Capability.of("ESORT"));

    private final SearchedMessages searched;

    @Inject
    public SortProcessor(MailboxManager mailboxManager, StatusResponseFactory responses, MetricFactory metricFactory,
                         SearchedMessages searched) {
        super(SortRequest.class, mailboxManager, responses, metricFactory);
        this.searched = searched;
    }

    @Override
    protected Mono<Void> processRequestReactive(SortRequest request, ImapSession session, Responder responder) {
        return searched.answer(request, request.searchKey(), request.useUids(), session, responder, found -> {
            List<Long> sorted = found.messages().stream().sorted(SortKey.order(request.criteria())).map(Numbered::number).toList();
            return request.isExtended() ? extended(request, session, sorted, found) : List.of(new SortResponse(sorted, found.highestModSeq()));
        });
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
        return List.of(new ESearchResponse(min, max, sorted.size(), inSortOrder(sorted), found.highestModSeq().orElse(null),
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

    /** The sequence-set of RFC 5267 §3.2's ALL: the numbers in sort order, runs of n, n+1, ... as ranges. */
    static IdRange[] inSortOrder(List<Long> sorted) {
        List<IdRange> ranges = new ArrayList<>();
        int i = 0;
        while (i < sorted.size()) {
            int end = i;
            while (end + 1 < sorted.size() && sorted.get(end + 1) == sorted.get(end) + 1) {
                end++;
            }
            ranges.add(new IdRange(sorted.get(i), sorted.get(end)));
            i = end + 1;
        }
        return ranges.toArray(IdRange[]::new);
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
