package org.maildeck.imap;

import javax.inject.Inject;

import org.apache.james.events.EventBus;
import org.apache.james.imap.api.message.response.StatusResponseFactory;
import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.message.request.ExamineRequest;
import org.apache.james.imap.processor.ExamineProcessor;
import org.apache.james.mailbox.MailboxManager;
import org.apache.james.metrics.api.MetricFactory;

import reactor.core.publisher.Mono;

/**
 * James's EXAMINE, where a new message is \Recent only while no read-write session has taken
 * its \Recent, and taking nothing itself (RFC 3501 §2.3.2 and §6.3.2: EXAMINE must not cause
 * messages to lose \Recent); an expunged message stops being \Recent ({@link ExpungedNotRecent});
 * EXISTS counts the session's view ({@link ExistsFromView}).
 */
public class RecentClaimingExamineProcessor extends ExamineProcessor {

    private final RecentClaims claims;

    @Inject
    public RecentClaimingExamineProcessor(MailboxManager mailboxManager, EventBus eventBus, StatusResponseFactory statusResponseFactory,
                                          MetricFactory metricFactory, RecentClaims claims) {
        super(mailboxManager, ExpungedNotRecent.around(eventBus), statusResponseFactory, metricFactory);
        this.claims = claims;
    }

    @Override
    protected Mono<Void> processRequestReactive(ExamineRequest request, ImapSession session, Responder responder) {
        return super.processRequestReactive(request, claims.claimingFor(session, false), new ExistsFromView(responder, session));
    }
}
