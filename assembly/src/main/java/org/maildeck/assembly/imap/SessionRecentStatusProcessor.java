package org.maildeck.assembly.imap;

import static org.apache.james.mailbox.MessageManager.MailboxMetaData.RecentMode.RETRIEVE;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import javax.inject.Inject;

import org.apache.james.imap.api.message.response.ImapResponseMessage;
import org.apache.james.imap.api.message.response.StatusResponseFactory;
import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.main.PathConverter;
import org.apache.james.imap.message.request.StatusRequest;
import org.apache.james.imap.message.response.MailboxStatusResponse;
import org.apache.james.imap.processor.StatusProcessor;
import org.apache.james.mailbox.MailboxManager;
import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.MessageManager;
import org.apache.james.mailbox.MessageUid;
import org.apache.james.mailbox.MessageManager.MailboxMetaData;
import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.model.MailboxPath;
import org.apache.james.metrics.api.MetricFactory;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * James's STATUS, except that RECENT leaves out the messages whose \Recent already went to
 * another session that has the folder selected read-write (RFC 3501 §2.3.2 and §6.3.10: the
 * flag belongs to one session; Dovecot counts them out too). James counted every message the
 * store still had as recent, including those another session had just been told about.
 *
 * <p>Upstream: no corresponding James change found.
 */
public class SessionRecentStatusProcessor extends StatusProcessor {

    private final ReadWriteSelections selections;

    @Inject
    public SessionRecentStatusProcessor(MailboxManager mailboxManager, StatusResponseFactory factory, MetricFactory metricFactory,
                                        ReadWriteSelections selections) {
        super(mailboxManager, factory, metricFactory);
        this.selections = selections;
    }

    @Override
    protected Mono<Void> processRequestReactive(StatusRequest request, ImapSession session, Responder responder) {
        if (!request.getStatusDataItems().isRecent() || !selections.anyBesides(session)) {
            return super.processRequestReactive(request, session, responder);
        }
        return HeldResponses.around(responder, held -> super.processRequestReactive(request, session, held),
            responses -> Flux.fromIterable(responses).concatMap(response -> withoutRecentElsewhere(response, request, session)));
    }

    private Mono<ImapResponseMessage> withoutRecentElsewhere(ImapResponseMessage response, StatusRequest request, ImapSession session) {
        if (!(response instanceof MailboxStatusResponse status) || status.getRecent() == null) {
            return Mono.just(response);
        }
        MailboxSession mailboxSession = session.getMailboxSession();
        MailboxPath path = PathConverter.forSession(session).buildFullPath(request.getMailboxName());
        return Mono.from(getMailboxManager().getMailboxReactive(path, mailboxSession))
            .flatMap(folder -> recentInStore(folder, mailboxSession)
                .map(recent -> {
                    Set<MessageUid> elsewhere = selections.recentElsewhere(folder.getId(), session);
                    return (ImapResponseMessage) withRecent(status, recent.stream().filter(uid -> !elsewhere.contains(uid)).count());
                }))
            .defaultIfEmpty(status);
    }

    private static Mono<List<MessageUid>> recentInStore(MessageManager folder, MailboxSession session) {
        try {
            return folder.getMetaDataReactive(RETRIEVE, session, EnumSet.noneOf(MailboxMetaData.Item.class))
                .map(MailboxMetaData::getRecent);
        } catch (MailboxException e) {
            return Mono.error(e);
        }
    }

    private static MailboxStatusResponse withRecent(MailboxStatusResponse status, long recent) {
        return new MailboxStatusResponse(status.getAppendLimit(), status.getSize(), status.getDeleted(), status.getDeletedStorage(),
            status.getMessages(), recent, status.getUidNext(), status.getHighestModSeq(), status.getUidValidity(),
            status.getUnseen(), status.getMailbox(), status.getMailboxId());
    }
}
