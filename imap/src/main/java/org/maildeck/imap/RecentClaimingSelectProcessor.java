package org.maildeck.imap;

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
 * James's SELECT, where the \Recent of new messages goes to this session only if no other
 * read-write session took it, and is then taken in the store too ({@link RecentClaims}), an
 * expunged message stops being \Recent ({@link ExpungedNotRecent}), and EXISTS counts the
 * session's view ({@link ExistsFromView}).
 */
public class RecentClaimingSelectProcessor extends SelectProcessor {

    private final RecentClaims claims;

    @Inject
    public RecentClaimingSelectProcessor(MailboxManager mailboxManager, EventBus eventBus, StatusResponseFactory statusResponseFactory,
                                         MetricFactory metricFactory, RecentClaims claims) {
        super(mailboxManager, ExpungedNotRecent.around(eventBus), statusResponseFactory, metricFactory);
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
        return Mono.defer(() -> {
                claims.selectStarts(session);
                return super.processRequestReactive(request, claims.claimingFor(session, true), new ExistsFromView(watching, session));
            })
            .then(Mono.<Void>fromRunnable(() -> {
                if (succeeded.get()) {
                    claims.tookAtSelect(session.getSelected());
                }
            }))
            .doFinally(signal -> claims.selectEnded(session));
    }
}
