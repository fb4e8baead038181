package org.maildeck.imap.sort;

import java.util.List;
import java.util.Optional;

import org.apache.james.imap.api.ImapCommand;
import org.apache.james.imap.api.Tag;
import org.apache.james.imap.api.message.request.SearchKey;
import org.apache.james.imap.api.message.request.SearchResultOption;
import org.apache.james.imap.message.request.AbstractImapRequest;
import org.maildeck.imap.context.ContextReturn;

/**
 * {@code [UID] SORT [RETURN (options)] (criteria) charset search-keys} (RFC 5256 §3, RFC 5267
 * §3.2, §4). Without RETURN, a plain SORT answered with {@code * SORT}; with RETURN the answer is
 * an ESEARCH response ("RETURN ()" means ALL).
 */
final class SortRequest extends AbstractImapRequest {

    private final boolean useUids;
    private final List<SortKey.Criterion> criteria;
    private final SearchKey searchKey;
    private final Optional<ContextReturn> returned;

    SortRequest(ImapCommand command, Tag tag, boolean useUids, List<SortKey.Criterion> criteria, SearchKey searchKey,
                Optional<ContextReturn> returned) {
        super(tag, command);
        this.useUids = useUids;
        this.criteria = List.copyOf(criteria);
        this.searchKey = searchKey;
        this.returned = returned;
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

    /** RFC 4731's options of RETURN (none without it). */
    List<SearchResultOption> returnOptions() {
        return returned.map(ContextReturn::results).orElse(List.of());
    }

    boolean isExtended() {
        return returned.isPresent();
    }

    /** Whether RETURN asks for RFC 5267 §4's PARTIAL or UPDATE (CONTEXT=SORT). */
    boolean isContextual() {
        return returned.map(options -> !options.isJames()).orElse(false);
    }

    boolean updates() {
        return returned.map(ContextReturn::update).orElse(false);
    }

    ContextReturn returned() {
        return returned.orElseThrow();
    }
}
