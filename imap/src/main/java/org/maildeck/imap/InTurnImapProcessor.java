package org.maildeck.imap;

import org.apache.james.imap.api.ImapConfiguration;
import org.apache.james.imap.api.ImapMessage;
import org.apache.james.imap.api.process.ImapProcessor;
import org.apache.james.imap.api.process.ImapSession;

import reactor.core.publisher.Mono;

/**
 * Starts looking at a command when the session's previous commands are done, not when its line
 * arrives.
 *
 * <p>James 3.8.1 queues a connection's commands (its {@code Linearalizer} runs one at a time) but
 * calls {@code processReactive} as soon as a command is decoded, and its processors read the
 * session there, eagerly: the state check, {@code session.getSelected()}, the selected mailbox's
 * message numbers. A client that pipelines ({@code SELECT} then {@code FETCH}, {@code CLOSE} then
 * {@code EXPUNGE}, as imaptest does) had its later command judged against the session as it was
 * before the earlier ones ran: "selected is null" NullPointerExceptions in FETCH and EXPUNGE
 * (answered {@code NO ... processing failed}), {@code BAD Invalid messageset} for a valid set.
 * Deferring the whole processing to the queue's turn makes each command see the session its
 * predecessors left. Upstream moved the queueing into the Netty channel instead (apache/james-project
 * #2090 and #2126, "IMAP execution management", after 3.8.1) and guarded the error logging
 * (#3085); {@link CommandQueue} does the channel side here.
 *
 * <p>The state check James's parsers make while decoding ({@code AbstractImapCommandParser.parse},
 * final, run as the line is read) is relaxed by {@link SelectedStateDecoder}: the processors'
 * own check, run here in turn, decides.
 */
final class InTurnImapProcessor implements ImapProcessor {

    private final ImapProcessor next;

    InTurnImapProcessor(ImapProcessor next) {
        this.next = next;
    }

    @Override
    public Mono<Void> processReactive(ImapMessage message, Responder responder, ImapSession session) {
        return Mono.defer(() -> next.processReactive(message, responder, session));
    }

    @Override
    public void configure(ImapConfiguration imapConfiguration) {
        next.configure(imapConfiguration);
    }
}
