package org.maildeck.assembly.imap;

import javax.inject.Inject;

import org.apache.james.events.EventBus;
import org.apache.james.imap.api.message.response.StatusResponseFactory;
import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.message.request.SelectRequest;
import org.apache.james.imap.processor.SelectProcessor;
import org.apache.james.mailbox.MailboxManager;
import org.apache.james.metrics.api.MetricFactory;

import reactor.core.publisher.Mono;

/** James's SELECT, that also tells {@link ReadWriteSelections} which folder the session now holds read-write. */
public class RecordingSelectProcessor extends SelectProcessor {

    private final ReadWriteSelections selections;

    @Inject
    public RecordingSelectProcessor(MailboxManager mailboxManager, EventBus eventBus, StatusResponseFactory statusResponseFactory,
                                    MetricFactory metricFactory, ReadWriteSelections selections) {
        super(mailboxManager, eventBus, statusResponseFactory, metricFactory);
        this.selections = selections;
    }

    @Override
    protected Mono<Void> processRequestReactive(SelectRequest request, ImapSession session, Responder responder) {
        return super.processRequestReactive(request, session, responder)
            .then(Mono.fromRunnable(() -> selections.selected(session)));
    }
}
