package org.maildeck.imap.binary;

import java.util.List;

import javax.inject.Inject;

import org.apache.james.imap.api.message.Capability;
import org.apache.james.imap.api.message.response.StatusResponseFactory;
import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.message.request.FetchRequest;
import org.apache.james.imap.processor.CapabilityImplementingProcessor;
import org.apache.james.imap.processor.fetch.FetchProcessor;
import org.apache.james.mailbox.MailboxManager;
import org.apache.james.metrics.api.MetricFactory;

import reactor.core.publisher.Mono;

/**
 * James's FETCH, which also answers RFC 3516's BINARY items: {@link BinaryFetchCommandParser}
 * asked James for each item's part and MIME header as hidden sections, James fetches them (and
 * sets \Seen for BINARY[], not for BINARY.PEEK[] or BINARY.SIZE[], as for BODY), and
 * {@link DecodedSections} decodes them on the way to the client. A FETCH without BINARY items is
 * James's alone. Announces BINARY.
 */
public class BinaryFetchProcessor extends FetchProcessor implements CapabilityImplementingProcessor {

    private static final List<Capability> CAPABILITIES = List.of(Capability.of("BINARY"));

    private final StatusResponseFactory responses;

    @Inject
    public BinaryFetchProcessor(MailboxManager mailboxManager, StatusResponseFactory responses, MetricFactory metricFactory) {
        super(mailboxManager, responses, metricFactory);
        this.responses = responses;
    }

    @Override
    protected Mono<Void> processRequestReactive(FetchRequest request, ImapSession session, Responder responder) {
        boolean binary = request.getFetch().getBodyElements().stream()
            .anyMatch(element -> BinaryItem.isBinary(element.getResponseName()));
        if (!binary) {
            return super.processRequestReactive(request, session, responder);
        }
        return super.processRequestReactive(request, session,
            new DecodedSections(responder, request.getTag(), request.getCommand(), responses));
    }

    @Override
    public List<Capability> getImplementedCapabilities(ImapSession session) {
        return CAPABILITIES;
    }
}
