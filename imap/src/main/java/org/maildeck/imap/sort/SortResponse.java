package org.maildeck.imap.sort;

import java.util.List;
import java.util.Optional;

import org.apache.james.imap.api.message.response.ImapResponseMessage;
import org.apache.james.mailbox.ModSeq;

/**
 * {@code * SORT 2 3 1}: the numbers in sort order (RFC 5256 §4), with {@code (MODSEQ n)} after
 * them when the search had a MODSEQ key (RFC 7162 §3.1.5).
 */
record SortResponse(List<Long> numbers, Optional<ModSeq> highestModSeq) implements ImapResponseMessage {
}
