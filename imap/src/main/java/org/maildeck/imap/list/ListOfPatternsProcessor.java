package org.maildeck.imap.list;

import java.util.HashSet;
import java.util.Set;

import org.apache.james.imap.api.ImapConfiguration;
import org.apache.james.imap.api.ImapMessage;
import org.apache.james.imap.api.message.response.ImapResponseMessage;
import org.apache.james.imap.api.message.response.StatusResponse;
import org.apache.james.imap.api.process.ImapProcessor;
import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.message.response.ListResponse;
import org.apache.james.imap.message.response.MailboxStatusResponse;
import org.apache.james.imap.message.response.MyRightsResponse;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Answers a {@link ListOfPatternsRequest} with James's LIST for each pattern in turn, as one
 * command: each mailbox that several patterns match is listed once (RFC 5258 §3: the union of
 * what the patterns match), with its STATUS or MYRIGHTS answer once, and one tagged answer comes
 * at the end: OK when every pattern's LIST succeeded, else the first refusal. Every other request
 * goes to James unchanged.
 */
public final class ListOfPatternsProcessor implements ImapProcessor {

    private final ImapProcessor james;

    public ListOfPatternsProcessor(ImapProcessor james) {
        this.james = james;
    }

    @Override
    public Mono<Void> processReactive(ImapMessage message, Responder responder, ImapSession session) {
        if (!(message instanceof ListOfPatternsRequest request)) {
            return james.processReactive(message, responder, session);
        }
        Union union = new Union(responder);
        return Flux.fromIterable(request.perPattern())
            .concatMap(pattern -> Mono.defer(() -> union.refused() ? Mono.empty() : james.processReactive(pattern, union, session)))
            .then(Mono.fromRunnable(union::complete));
    }

    @Override
    public void configure(ImapConfiguration imapConfiguration) {
        james.configure(imapConfiguration);
    }

    /** Passes each mailbox's answers on once, and holds back the tagged answers until the last pattern. */
    private static final class Union implements Responder {
        private final Responder client;
        private final Set<String> listed = new HashSet<>();
        /** Whether the answers that follow a LIST line (STATUS, MYRIGHTS) are about a mailbox already given. */
        private boolean repeating;
        private StatusResponse tagged;

        Union(Responder client) {
            this.client = client;
        }

        @Override
        public void respond(ImapResponseMessage message) {
            if (message instanceof StatusResponse status && status.getTag() != null) {
                if (tagged == null || tagged.getServerResponseType() == StatusResponse.Type.OK) {
                    tagged = status;
                }
                return;
            }
            if (message instanceof ListResponse list) {
                repeating = !listed.add(list.getName());
            } else if (!(message instanceof MailboxStatusResponse || message instanceof MyRightsResponse)) {
                // Not about the mailbox just listed (an EXISTS or EXPUNGE of the selected mailbox, ...): always passed on.
                client.respond(message);
                return;
            }
            if (!repeating) {
                client.respond(message);
            }
        }

        boolean refused() {
            return tagged != null && tagged.getServerResponseType() != StatusResponse.Type.OK;
        }

        void complete() {
            if (tagged != null) {
                client.respond(tagged);
            }
            client.flush();
        }

        @Override
        public void flush() {
            client.flush();
        }
    }
}
