package org.maildeck.imap;

import java.nio.file.NoSuchFileException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import javax.inject.Inject;

import org.apache.james.imap.api.display.HumanReadableText;
import org.apache.james.imap.api.message.response.ImapResponseMessage;
import org.apache.james.imap.api.message.response.StatusResponse;
import org.apache.james.imap.api.message.response.StatusResponseFactory;
import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.api.process.SelectedMailbox;
import org.apache.james.imap.message.request.CopyRequest;
import org.apache.james.imap.processor.CopyProcessor;
import org.apache.james.mailbox.MailboxManager;
import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.model.MailboxId;
import org.apache.james.mailbox.model.MessageRange;
import org.apache.james.metrics.api.MetricFactory;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * James's COPY, answering {@code NO [EXPUNGEISSUED] Some of the requested messages no longer
 * exist.} when another session expunged a message of the set while it was being copied, as
 * Dovecot does (RFC 9051 §7.1: EXPUNGEISSUED, "someone else has issued an EXPUNGE for the same
 * mailbox"), instead of {@code NO COPY processing failed.}, which tells the client nothing it can
 * act on. The client learns of the expunge from the EXPUNGE responses that follow and may retry.
 * No upstream change found (James 3.8.1 has no EXPUNGEISSUED code at all).
 */
public class ExpungeIssuedCopyProcessor extends CopyProcessor {

    private static final HumanReadableText SOME_EXPUNGED =
        new HumanReadableText("org.maildeck.imap.EXPUNGE_ISSUED", "Some of the requested messages no longer exist.");

    private final StatusResponseFactory responses;
    /** Sessions whose COPY in progress met a message expunged meanwhile. */
    private final Set<MailboxSession.SessionId> metExpunged = ConcurrentHashMap.newKeySet();

    @Inject
    public ExpungeIssuedCopyProcessor(MailboxManager mailboxManager, StatusResponseFactory responses, MetricFactory metricFactory) {
        super(mailboxManager, responses, metricFactory);
        this.responses = responses;
    }

    @Override
    protected Flux<MessageRange> process(MailboxId targetMailbox, SelectedMailbox currentMailbox, MailboxSession mailboxSession,
                                         MessageRange messageSet) {
        return super.process(targetMailbox, currentMailbox, mailboxSession, messageSet)
            .doOnError(e -> {
                if (expunged(e)) {
                    metExpunged.add(mailboxSession.getSessionId());
                }
            });
    }

    @Override
    protected Mono<Void> processRequestReactive(CopyRequest request, ImapSession session, Responder responder) {
        MailboxSession.SessionId id = session.getMailboxSession().getSessionId();
        Responder answering = new Responder() {
            @Override
            public void respond(ImapResponseMessage message) {
                if (message instanceof StatusResponse status && status.getTag() != null
                    && status.getServerResponseType() == StatusResponse.Type.NO && metExpunged.remove(id)) {
                    responder.respond(responses.taggedNo(request.getTag(), request.getCommand(), SOME_EXPUNGED,
                        StatusResponse.ResponseCode.createExtension("EXPUNGEISSUED")));   // written without its X by RfcResponseCodeEncoder
                } else {
                    responder.respond(message);
                }
            }

            @Override
            public void flush() {
                responder.flush();
            }
        };
        return super.processRequestReactive(request, session, answering)
            .doFinally(signal -> metExpunged.remove(id));
    }

    private static boolean expunged(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof NoSuchFileException) {
                return true;
            }
        }
        return false;
    }
}
