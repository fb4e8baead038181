package org.maildeck.assembly.imap;

import java.util.concurrent.atomic.AtomicBoolean;

import javax.inject.Inject;

import org.apache.james.events.EventBus;
import org.apache.james.imap.api.message.response.ImapResponseMessage;
import org.apache.james.imap.api.message.response.StatusResponse;
import org.apache.james.imap.api.message.response.StatusResponseFactory;
import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.message.request.SelectRequest;
import org.apache.james.imap.processor.SelectProcessor;
import org.apache.james.mailbox.MailboxManager;
import org.apache.james.metrics.api.MetricFactory;

import reactor.core.publisher.Mono;

/**
 * James's SELECT, that also tells {@link ReadWriteSelections} which folder the session holds
 * read-write once the SELECT has succeeded (a refused one leaves no read-write selection), gives
 * the \Recent of new messages to this session only if no other read-write session took it
 * ({@link RecentClaims}), forgets the \Recent of expunged messages ({@link ExpungedNotRecent}), and
 * counts EXISTS from the session's view ({@link ExistsFromView}).
 */
public class RecordingSelectProcessor extends SelectProcessor {

    private final ReadWriteSelections selections;
    private final RecentClaims claims;

    @Inject
    public RecordingSelectProcessor(MailboxManager mailboxManager, EventBus eventBus, StatusResponseFactory statusResponseFactory,
                                    MetricFactory metricFactory, ReadWriteSelections selections, RecentClaims claims) {
        super(mailboxManager, ExpungedNotRecent.around(eventBus), statusResponseFactory, metricFactory);
        this.selections = selections;
        this.claims = claims;
    }

    @Override
    protected Mono<Void> processRequestReactive(SelectRequest request, ImapSession session, Responder responder) {
        AtomicBoolean succeeded = new AtomicBoolean();
        Responder watching = new Responder() {
            @Override
            public void respond(ImapResponseMessage message) {
                if (message instanceof StatusResponse status && status.getTag() != null) {
                    succeeded.set(status.getServerResponseType() == StatusResponse.Type.OK);
                }
                responder.respond(message);
            }

            @Override
            public void flush() {
                responder.flush();
            }
        };
        return super.processRequestReactive(request, claims.claimingFor(session, true), new ExistsFromView(watching, session))
            .then(Mono.fromRunnable(() -> {
                if (succeeded.get()) {
                    selections.selected(session);
                    claims.tookAtSelect(session.getSelected());
                }
            }));
    }
}
