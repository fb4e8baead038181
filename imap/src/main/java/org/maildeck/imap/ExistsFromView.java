package org.maildeck.imap;

import org.apache.james.imap.api.message.response.ImapResponseMessage;
import org.apache.james.imap.api.process.ImapProcessor.Responder;
import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.api.process.SelectedMailbox;
import org.apache.james.imap.message.response.ExistsResponse;

/**
 * SELECT and EXAMINE's {@code * N EXISTS} as the session's view counts the folder, not as the
 * store's counters do. James 3.8.1 answers with the message count it read for the folder's
 * status, a moment after the selected mailbox read its UIDs; a delivery in between made the two
 * differ, and the session then got FETCH and EXPUNGE numbers it had never been given (RFC 9051
 * §7.4.1: EXISTS is the number of messages in the mailbox as the session sees it). The view
 * ({@code SelectedMailboxImpl} of james-overrides) announces anything newer with the next
 * command's EXISTS.
 */
final class ExistsFromView implements Responder {

    private final Responder next;
    private final ImapSession session;

    ExistsFromView(Responder next, ImapSession session) {
        this.next = next;
        this.session = session;
    }

    @Override
    public void respond(ImapResponseMessage message) {
        SelectedMailbox selected = session.getSelected();
        if (message instanceof ExistsResponse && selected != null) {
            next.respond(new ExistsResponse(selected.existsCount()));
        } else {
            next.respond(message);
        }
    }

    @Override
    public void flush() {
        next.flush();
    }
}
