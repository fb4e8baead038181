package org.maildeck.imap.context;

import javax.inject.Inject;

import org.apache.james.imap.api.display.HumanReadableText;
import org.apache.james.imap.api.message.response.StatusResponseFactory;
import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.processor.AbstractMailboxProcessor;
import org.apache.james.mailbox.MailboxManager;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.util.MDCBuilder;

import reactor.core.publisher.Mono;

/**
 * CANCELUPDATE (RFC 5267 §4.3): the named searches send no more updates. A tag that names no
 * updating search is answered NO, as Dovecot does, after those before it were cancelled.
 */
public class CancelUpdateProcessor extends AbstractMailboxProcessor<CancelUpdateRequest> {

    private static final HumanReadableText UNKNOWN_TAG = new HumanReadableText("org.maildeck.imap.CANCELUPDATE_UNKNOWN",
        "Unknown search update tag");

    @Inject
    public CancelUpdateProcessor(MailboxManager mailboxManager, StatusResponseFactory responses, MetricFactory metricFactory) {
        super(CancelUpdateRequest.class, mailboxManager, responses, metricFactory);
    }

    @Override
    protected Mono<Void> processRequestReactive(CancelUpdateRequest request, ImapSession session, Responder responder) {
        return Mono.fromRunnable(() -> {
            SearchContexts contexts = SearchContexts.ofOrNew(session);
            boolean allKnown = request.cancelled().stream().allMatch(contexts::cancel);
            if (allKnown) {
                okComplete(request, responder);
            } else {
                no(request, responder, UNKNOWN_TAG);
            }
        });
    }

    @Override
    protected MDCBuilder mdc(CancelUpdateRequest request) {
        return MDCBuilder.create().addToContext(MDCBuilder.ACTION, "CANCELUPDATE");
    }
}
