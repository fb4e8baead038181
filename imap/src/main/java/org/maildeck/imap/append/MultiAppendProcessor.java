package org.maildeck.imap.append;

import java.util.ArrayList;
import java.util.List;

import javax.inject.Inject;

import org.apache.james.imap.api.display.HumanReadableText;
import org.apache.james.imap.api.message.Capability;
import org.apache.james.imap.api.message.UidRange;
import org.apache.james.imap.api.message.response.StatusResponse.ResponseCode;
import org.apache.james.imap.api.message.response.StatusResponseFactory;
import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.api.process.SelectedMailbox;
import org.apache.james.imap.main.PathConverter;
import org.apache.james.imap.message.request.AppendRequest;
import org.apache.james.imap.processor.AbstractMailboxProcessor;
import org.apache.james.imap.processor.CapabilityImplementingProcessor;
import org.apache.james.mailbox.MailboxManager;
import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.MessageManager;
import org.apache.james.mailbox.MessageUid;
import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.exception.MailboxNotFoundException;
import org.apache.james.mailbox.exception.OverQuotaException;
import org.apache.james.mailbox.model.MailboxPath;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.util.MDCBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * MULTIAPPEND (RFC 3502): the messages of one APPEND are stored in order, each through the
 * mailbox's own append (so each is durable before the next, as a single APPEND is), and either all
 * are kept or none (§3): when one fails, the ones already stored are deleted again and the client
 * gets NO. The tagged OK carries {@code [APPENDUID uidvalidity uid-set]} with every UID (RFC 4315
 * §3). A session that has the mailbox selected sees the messages as its own, not \Recent for
 * others, as James's single APPEND does.
 */
public class MultiAppendProcessor extends AbstractMailboxProcessor<MultiAppendRequest> implements CapabilityImplementingProcessor {

    private static final Logger LOGGER = LoggerFactory.getLogger(MultiAppendProcessor.class);
    /**
     * Announced since every message of a MULTIAPPEND reaches the parser, also when the command is
     * too large for memory (WholeCommandFrameDecoder spools all of it, not just its first literal).
     */
    private static final List<Capability> CAPABILITIES = List.of(Capability.of("MULTIAPPEND"));

    @Inject
    public MultiAppendProcessor(MailboxManager mailboxManager, StatusResponseFactory responses, MetricFactory metricFactory) {
        super(MultiAppendRequest.class, mailboxManager, responses, metricFactory);
    }

    /**
     * Reactive from end to end: nothing here waits, blocking, for the store. James's synchronous
     * calls (getMailbox, appendMessage) block on tasks of Reactor's shared boundedElastic pool;
     * made from a thread of that pool, as this did, they could wait behind themselves when every
     * thread of the pool was busy, and the MULTIAPPEND was never answered.
     */
    @Override
    protected Mono<Void> processRequestReactive(MultiAppendRequest request, ImapSession session, Responder responder) {
        MailboxPath path = PathConverter.forSession(session).buildFullPath(request.mailboxName());
        session.stopDetectingCommandInjection();
        return Mono.from(getMailboxManager().getMailboxReactive(path, session.getMailboxSession()))
            .flatMap(mailbox -> appendAll(request, session, mailbox))
            .flatMap(appended -> unsolicitedResponses(session, responder, false).then(Mono.fromRunnable(() ->
                okComplete(request, ResponseCode.appendUid(appended.uidValidity(), appended.uids()), responder))))
            .onErrorResume(MailboxNotFoundException.class, e -> {
                no(request, responder, HumanReadableText.FAILURE_NO_SUCH_MAILBOX, ResponseCode.tryCreate());
                return Mono.empty();
            })
            .onErrorResume(OverQuotaException.class, e -> {
                LOGGER.info("MULTIAPPEND to {} over quota; none of its {} messages kept", path, request.messages().size());
                no(request, responder, HumanReadableText.FAILURE_OVERQUOTA, ResponseCode.overQuota());
                return Mono.empty();
            })
            .onErrorResume(MailboxException.class, e -> {
                LOGGER.error("MULTIAPPEND to {} failed; none of its {} messages kept", path, request.messages().size(), e);
                no(request, responder, HumanReadableText.GENERIC_FAILURE_DURING_PROCESSING);
                return Mono.empty();
            })
            .then();
    }

    /** The messages stored one after the other; when one fails, the ones stored before it are removed again. */
    private Mono<Appended> appendAll(MultiAppendRequest request, ImapSession session, MessageManager mailbox) {
        MailboxSession mailboxSession = session.getMailboxSession();
        SelectedMailbox selected = session.getSelected();
        boolean isSelected = selected != null && selected.getMailboxId().equals(mailbox.getId());
        List<MessageUid> stored = new ArrayList<>();
        return Flux.fromIterable(request.messages())
            .concatMap(message -> Mono.defer(() -> {
                try {
                    return Mono.from(mailbox.appendMessageReactive(MessageManager.AppendCommand.builder()
                        .withInternalDate(message.getDatetime())
                        .withFlags(message.getFlags())
                        .isRecent(!isSelected)
                        .build(message.getMessage().asMailboxContent()), mailboxSession));
                } catch (Exception unreadable) {
                    return Mono.error(unreadable);
                }
            }))
            .doOnNext(result -> stored.add(result.getId().getUid()))
            .then(Mono.fromCallable(() -> {
                if (isSelected) {
                    stored.forEach(selected::addRecent);
                }
                return new Appended(mailbox.getMailboxEntity().getUidValidity(),
                    stored.stream().map(UidRange::new).toArray(UidRange[]::new));
            }))
            .onErrorResume(failure -> removeAgain(mailbox, stored, mailboxSession, failure).then(Mono.error(failure)));
    }

    /** RFC 3502 §3: if any message cannot be appended, none of them is kept. */
    private static Mono<Void> removeAgain(MessageManager mailbox, List<MessageUid> stored, MailboxSession session, Throwable failure) {
        if (stored.isEmpty()) {
            return Mono.empty();
        }
        return mailbox.deleteReactive(List.copyOf(stored), session)
            .onErrorResume(undeletable -> {
                failure.addSuppressed(undeletable);
                LOGGER.error("MULTIAPPEND failed and the {} messages it stored first could not be removed: {}", stored.size(), stored, undeletable);
                return Mono.empty();
            });
    }

    private record Appended(org.apache.james.mailbox.model.UidValidity uidValidity, UidRange[] uids) {
    }

    @Override
    public List<Capability> getImplementedCapabilities(ImapSession session) {
        return CAPABILITIES;
    }

    @Override
    protected MDCBuilder mdc(MultiAppendRequest request) {
        return MDCBuilder.create()
            .addToContext(MDCBuilder.ACTION, "MULTIAPPEND")
            .addToContext("mailbox", request.mailboxName());
    }
}
