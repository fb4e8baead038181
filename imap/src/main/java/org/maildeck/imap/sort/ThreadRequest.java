package org.maildeck.imap.sort;

import org.apache.james.imap.api.ImapCommand;
import org.apache.james.imap.api.Tag;
import org.apache.james.imap.api.message.request.SearchKey;
import org.apache.james.imap.message.request.AbstractImapRequest;

/** {@code [UID] THREAD algorithm charset search-keys} (RFC 5256 §4). */
final class ThreadRequest extends AbstractImapRequest {

    /** The algorithms announced as THREAD=name. */
    enum Algorithm {
        ORDEREDSUBJECT, REFERENCES
    }

    private final boolean useUids;
    private final Algorithm algorithm;
    private final SearchKey searchKey;

    ThreadRequest(ImapCommand command, Tag tag, boolean useUids, Algorithm algorithm, SearchKey searchKey) {
        super(tag, command);
        this.useUids = useUids;
        this.algorithm = algorithm;
        this.searchKey = searchKey;
    }

    boolean useUids() {
        return useUids;
    }

    Algorithm algorithm() {
        return algorithm;
    }

    SearchKey searchKey() {
        return searchKey;
    }
}
