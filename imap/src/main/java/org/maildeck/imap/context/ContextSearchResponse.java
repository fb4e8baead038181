package org.maildeck.imap.context;

import java.util.Optional;

import org.apache.james.imap.api.Tag;
import org.apache.james.imap.api.message.IdRange;
import org.apache.james.imap.api.message.response.ImapResponseMessage;

/**
 * An ESEARCH response (RFC 4731 §3.1) with RFC 5267's return data: {@code PARTIAL (range set)}
 * (§4.4, NIL for none) and the updates of a context, {@code REMOVEFROM (0 set)} and
 * {@code ADDTO (0 set)} (§4.3; the position is 0 for an unsorted SEARCH, as the grammar's
 * comment and Dovecot have it). Absent data is not written.
 */
record ContextSearchResponse(Tag tag, boolean uid, Optional<Long> min, Optional<Long> max, Optional<IdRange[]> all,
                             Optional<ContextReturn.PartialRange> partialRange, Optional<IdRange[]> partial,
                             Optional<Long> count, Optional<Long> modSeq, Optional<IdRange[]> removeFrom, Optional<IdRange[]> addTo)
    implements ImapResponseMessage {

    /** An update of the context {@code tag}: what left and what joined its result. */
    static ContextSearchResponse update(Tag tag, boolean uid, IdRange[] removed, IdRange[] added) {
        return new ContextSearchResponse(tag, uid, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), Optional.empty(),
            removed.length == 0 ? Optional.empty() : Optional.of(removed), added.length == 0 ? Optional.empty() : Optional.of(added));
    }
}
