package org.maildeck.imap;

import java.util.ArrayList;
import java.util.List;

import javax.inject.Inject;

import org.apache.james.imap.api.message.response.ImapResponseMessage;
import org.apache.james.imap.api.message.response.StatusResponse;
import org.apache.james.imap.api.message.response.StatusResponseFactory;
import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.message.request.MoveRequest;
import org.apache.james.imap.processor.MoveProcessor;
import org.apache.james.mailbox.MailboxManager;
import org.apache.james.metrics.api.MetricFactory;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * James's MOVE with the order and the counts of RFC 6851 §4.3:
 * <ul>
 * <li>COPYUID comes in an untagged OK before the EXPUNGE responses, so that a client knows the
 * new UIDs of the messages before it hears that they left; James put it in the tagged OK, after
 * them (as for COPY, where RFC 4315 wants it).</li>
 * </ul>
 * RECENT counts no moved-away message (James reported {@code * 4 RECENT} with 2 messages after a
 * MOVE into the same folder): {@link ExpungedNotRecent} drops expunged UIDs from every session's
 * recent set, for MOVE as for any other command.
 * Upstream: no corresponding James change found (MoveProcessor and AbstractMessageRangeProcessor
 * still answer COPYUID in the tagged OK on master, checked 2026-12).
 */
public class CopyUidFirstMoveProcessor extends MoveProcessor {

    private static final String COPYUID = "COPYUID";

    @Inject
    public CopyUidFirstMoveProcessor(MailboxManager mailboxManager, StatusResponseFactory factory, MetricFactory metricFactory) {
        super(mailboxManager, factory, metricFactory);
    }

    @Override
    protected Mono<Void> processRequestReactive(MoveRequest request, ImapSession session, Responder responder) {
        return HeldResponses.around(responder, held -> super.processRequestReactive(request, session, held),
            responses -> Flux.fromIterable(copyUidFirst(responses)));
    }

    /** The COPYUID of the tagged OK moved into an untagged OK ahead of every other response. */
    private List<ImapResponseMessage> copyUidFirst(List<ImapResponseMessage> responses) {
        List<ImapResponseMessage> reordered = new ArrayList<>();
        List<ImapResponseMessage> rest = new ArrayList<>();
        for (ImapResponseMessage response : responses) {
            if (response instanceof StatusResponse status && status.getTag() != null
                && status.getServerResponseType() == StatusResponse.Type.OK
                && status.getResponseCode() != null && COPYUID.equals(status.getResponseCode().getCode())) {
                StatusResponseFactory factory = getStatusResponseFactory();
                reordered.add(factory.untaggedOk(status.getTextKey(), status.getResponseCode()));
                rest.add(factory.taggedOk(status.getTag(), status.getCommand(), status.getTextKey()));
            } else {
                rest.add(response);
            }
        }
        reordered.addAll(rest);
        return reordered;
    }
}
