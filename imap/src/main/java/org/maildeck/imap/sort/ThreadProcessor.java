package org.maildeck.imap.sort;

import java.util.List;

import javax.inject.Inject;

import org.apache.james.imap.api.message.Capability;
import org.apache.james.imap.api.message.response.StatusResponseFactory;
import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.processor.AbstractMailboxProcessor;
import org.apache.james.imap.processor.CapabilityImplementingProcessor;
import org.apache.james.mailbox.MailboxManager;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.util.MDCBuilder;

import reactor.core.publisher.Mono;

/** THREAD (RFC 5256 §4): the messages the search keys match, threaded by {@link ReferencesThreading} or {@link OrderedSubjectThreading}. */
public class ThreadProcessor extends AbstractMailboxProcessor<ThreadRequest> implements CapabilityImplementingProcessor {

    private static final List<Capability> CAPABILITIES = List.of(Capability.of("THREAD=ORDEREDSUBJECT"), Capability.of("THREAD=REFERENCES"));

    private final SearchedMessages searched;

    @Inject
    public ThreadProcessor(MailboxManager mailboxManager, StatusResponseFactory responses, MetricFactory metricFactory,
                           SearchedMessages searched) {
        super(ThreadRequest.class, mailboxManager, responses, metricFactory);
        this.searched = searched;
    }

    @Override
    protected Mono<Void> processRequestReactive(ThreadRequest request, ImapSession session, Responder responder) {
        return searched.answer(request, request.searchKey(), request.useUids(), session, responder, found -> {
            List<ThreadNode> threads = switch (request.algorithm()) {
                case REFERENCES -> ReferencesThreading.threads(found.messages());
                case ORDEREDSUBJECT -> OrderedSubjectThreading.threads(found.messages());
            };
            return List.of(new ThreadResponse(threads));
        });
    }

    @Override
    public List<Capability> getImplementedCapabilities(ImapSession session) {
        return CAPABILITIES;
    }

    @Override
    protected MDCBuilder mdc(ThreadRequest request) {
        return MDCBuilder.create()
            .addToContext(MDCBuilder.ACTION, "THREAD")
            .addToContext("useUid", Boolean.toString(request.useUids()))
            .addToContext("algorithm", request.algorithm().name());
    }
}
