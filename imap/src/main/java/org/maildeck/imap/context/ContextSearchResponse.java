package org.maildeck.imap.context;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import org.apache.james.imap.api.Tag;
import org.apache.james.imap.api.message.IdRange;
import org.apache.james.imap.api.message.request.SearchResultOption;
import org.apache.james.imap.api.message.response.ImapResponseMessage;
import org.apache.james.mailbox.ModSeq;

/**
 * An ESEARCH response (RFC 4731 §3.1) with RFC 5267's return data: {@code PARTIAL (range set)}
 * (§4.4, NIL for none) and the updates of a context, {@code REMOVEFROM (position set)} and
 * {@code ADDTO (position set)} (§4.3; the position is 0 for an unsorted SEARCH, as the grammar's
 * comment and Dovecot have it, and the place in the result for a SORT). Absent data is not
 * written.
 */
public record ContextSearchResponse(Tag tag, boolean uid, Optional<Long> min, Optional<Long> max, Optional<IdRange[]> all,
                                    Optional<ContextReturn.PartialRange> partialRange, Optional<IdRange[]> partial,
                                    Optional<Long> count, Optional<Long> modSeq, List<Positioned> removeFrom, List<Positioned> addTo)
    implements ImapResponseMessage {

    /** Messages at a place in a context's result: {@code context-position SP sequence-set}. */
    record Positioned(long position, IdRange[] set) {
    }

    /**
     * The answer to a SEARCH or SORT with RFC 5267's return options: {@code numbers} are the
     * messages found in the result's order (mailbox order, or the sort's), {@code asSet} writes a
     * part of them as a sequence-set. MIN and MAX are the first and the last of the result.
     */
    public static ContextSearchResponse result(Tag tag, boolean uid, ContextReturn options, List<Long> numbers,
                                               Function<List<Long>, IdRange[]> asSet, Optional<ModSeq> modSeq) {
        List<SearchResultOption> results = options.results();
        boolean any = !numbers.isEmpty();
        Optional<ContextReturn.PartialRange> range = options.partial();
        return new ContextSearchResponse(tag, uid,
            results.contains(SearchResultOption.MIN) && any ? Optional.of(numbers.get(0)) : Optional.empty(),
            results.contains(SearchResultOption.MAX) && any ? Optional.of(numbers.get(numbers.size() - 1)) : Optional.empty(),
            results.contains(SearchResultOption.ALL) && any ? Optional.of(asSet.apply(numbers)) : Optional.empty(),
            range, range.flatMap(partial -> window(numbers, partial)).map(asSet),
            results.contains(SearchResultOption.COUNT) ? Optional.of((long) numbers.size()) : Optional.empty(),
            modSeq.map(ModSeq::asLong), List.of(), List.of());
    }

    /** The messages at positions first..last (from 1) of the result; none past its end. */
    private static Optional<List<Long>> window(List<Long> numbers, ContextReturn.PartialRange range) {
        if (range.first() > numbers.size()) {
            return Optional.empty();
        }
        int to = (int) Math.min(numbers.size(), range.last());
        return Optional.of(numbers.subList((int) range.first() - 1, to));
    }

    /** An update of the context {@code tag}: what left and what joined its result. */
    static ContextSearchResponse update(Tag tag, boolean uid, List<Positioned> removed, List<Positioned> added) {
        return new ContextSearchResponse(tag, uid, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), Optional.empty(), List.copyOf(removed), List.copyOf(added));
    }
}
