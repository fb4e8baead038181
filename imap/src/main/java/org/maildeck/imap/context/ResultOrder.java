package org.maildeck.imap.context;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;

import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.mailbox.MessageUid;

import reactor.core.publisher.Mono;

/**
 * The order of a context's result (RFC 5267 §4.3): mailbox order for a SEARCH, whose updates give
 * position 0, and a SORT's criteria for a SORT, whose updates say where in the result each
 * message goes or was.
 */
public interface ResultOrder {

    /** A SEARCH's result: the messages in mailbox (UID) order, positions not told. */
    ResultOrder MAILBOX = new ResultOrder() {
        @Override
        public boolean positioned() {
            return false;
        }

        @Override
        public Mono<List<MessageUid>> arrange(ImapSession session, SortedSet<MessageUid> found) {
            return Mono.just(new ArrayList<>(found));
        }
    };

    /** Whether the updates tell positions in the result (a sorted result), or 0. */
    boolean positioned();

    /** The messages found, in the result's order. */
    Mono<List<MessageUid>> arrange(ImapSession session, SortedSet<MessageUid> found);
}
