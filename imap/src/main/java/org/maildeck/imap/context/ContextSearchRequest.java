package org.maildeck.imap.context;

import org.apache.james.imap.api.ImapConstants;
import org.apache.james.imap.api.Tag;
import org.apache.james.imap.api.message.request.SearchKey;
import org.apache.james.imap.message.request.AbstractImapRequest;

/** {@code [UID] SEARCH RETURN (...) search-keys} with UPDATE or PARTIAL among its options (RFC 5267 §4). */
final class ContextSearchRequest extends AbstractImapRequest {

    private final boolean useUids;
    private final SearchKey key;
    private final ContextReturn options;

    ContextSearchRequest(Tag tag, boolean useUids, SearchKey key, ContextReturn options) {
        super(tag, ImapConstants.SEARCH_COMMAND);
        this.useUids = useUids;
        this.key = key;
        this.options = options;
    }

    boolean useUids() {
        return useUids;
    }

    SearchKey key() {
        return key;
    }

    ContextReturn options() {
        return options;
    }
}
