package org.maildeck.imap;

import org.apache.james.imap.api.ImapConfiguration;
import org.apache.james.imap.api.ImapMessage;
import org.apache.james.imap.api.process.ImapProcessor;
import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.api.process.SelectedMailbox;
import org.apache.james.imap.message.request.AbstractMailboxSelectionRequest;
import org.apache.james.imap.message.response.ExistsResponse;
import org.apache.james.imap.message.response.RecentResponse;

import reactor.core.publisher.Mono;

/**
 * Tells a session what changed in its selected folder that its next command may show: new
 * messages ({@code * N EXISTS}, {@code * N RECENT}) before the command runs, and new keywords
 * ({@code * FLAGS (...)}) before any FETCH shows them ({@link KeywordsNamedFirst}).
 *
 * <p>The session's view of its folder (james-overrides' {@code SelectedMailboxImpl}) takes in a
 * new message only when the session is sent its EXISTS, and James sends EXISTS and FLAGS after a
 * command's own responses. So a {@code UID FETCH 1:*} from a session whose folder was empty when
 * it selected it, and was filled since, was judged against an empty folder and refused
 * ({@code BAD Invalid messageset}); and a FETCH showed a keyword another session had just set
 * before any FLAGS response named it (RFC 9051 §7.3.5: FLAGS lists the flags applicable in the
 * mailbox, and a client learns of a new keyword there). RFC 9051 §7.4.1 and §7.3.5 let a server
 * send EXISTS and FLAGS at any time; only EXPUNGE is held back during FETCH, STORE and SEARCH
 * (§7.5.1), and this sends none. SELECT and EXAMINE are left alone: they describe the folder
 * they open themselves.
 */
final class FolderChangesFirst implements ImapProcessor {

    private final ImapProcessor next;

    FolderChangesFirst(ImapProcessor next) {
        this.next = next;
    }

    @Override
    public Mono<Void> processReactive(ImapMessage message, Responder responder, ImapSession session) {
        return Mono.defer(() -> {
            SelectedMailbox selected = session.getSelected();
            if (selected != null && !(message instanceof AbstractMailboxSelectionRequest)) {
                if (selected.isSizeChanged()) {
                    responder.respond(new ExistsResponse(selected.existsCount()));
                    responder.respond(new RecentResponse(selected.recentCount()));
                }
            }
            return next.processReactive(message, new KeywordsNamedFirst(responder, session), session);
        });
    }

    @Override
    public void configure(ImapConfiguration imapConfiguration) {
        next.configure(imapConfiguration);
    }
}
