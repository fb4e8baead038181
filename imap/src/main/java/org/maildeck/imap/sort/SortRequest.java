package org.maildeck.imap.sort;

import java.util.List;

import org.apache.james.imap.api.ImapCommand;
import org.apache.james.imap.api.Tag;
import org.apache.james.imap.api.message.request.SearchKey;
import org.apache.james.imap.api.message.request.SearchResultOption;
import org.apache.james.imap.message.request.AbstractImapRequest;

/**
 * {@code [UID] SORT [RETURN (options)] (criteria) charset search-keys} (RFC 5256 §3, RFC 5267
 * §3.2). {@code returnOptions} is empty for a plain SORT, answered with {@code * SORT}; with
 * RETURN the answer is an ESEARCH response ("RETURN ()" means ALL).
 */
final class SortRequest extends AbstractImapRequest {

    private final boolean useUids;
    private final List<SortKey.Criterion> criteria;
    private final SearchKey searchKey;
    private final List<SearchResultOption> returnOptions;

    SortRequest(ImapCommand command, Tag tag, boolean useUids, List<SortKey.Criterion> criteria, SearchKey searchKey,
                List<SearchResultOption> returnOptions) {
        super(tag, command);
        this.useUids = useUids;
        this.criteria = List.copyOf(criteria);
        this.searchKey = searchKey;
        this.returnOptions = List.copyOf(returnOptions);
    }

    boolean useUids() {
        return useUids;
    }

    List<SortKey.Criterion> criteria() {
        return criteria;
    }

    SearchKey searchKey() {
        return searchKey;
    }

    List<SearchResultOption> returnOptions() {
        return returnOptions;
    }

    boolean isExtended() {
        return !returnOptions.isEmpty();
    }
}
