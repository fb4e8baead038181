package org.maildeck.imap.sort;

import java.util.List;
import java.util.SortedSet;

import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.mailbox.MessageUid;
import org.maildeck.imap.context.ResultOrder;

import reactor.core.publisher.Mono;

/** The order of an updating SORT's result (CONTEXT=SORT): its criteria, on the fields of {@link SortFieldCache}. */
final class SortedResult implements ResultOrder {

    private final SearchedMessages searched;
    private final List<SortKey.Criterion> criteria;

    SortedResult(SearchedMessages searched, List<SortKey.Criterion> criteria) {
        this.searched = searched;
        this.criteria = List.copyOf(criteria);
    }

    @Override
    public boolean positioned() {
        return true;
    }

    @Override
    public Mono<List<MessageUid>> arrange(ImapSession session, SortedSet<MessageUid> found) {
        return searched.inOrder(session, found, criteria);
    }
}
