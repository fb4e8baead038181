package org.maildeck.imap.sort;

import java.util.List;

import org.apache.james.imap.api.message.response.ImapResponseMessage;

/** {@code * THREAD (1 2)(3 (4)(5))} (RFC 5256 §4). */
record ThreadResponse(List<ThreadNode> threads) implements ImapResponseMessage {
}
