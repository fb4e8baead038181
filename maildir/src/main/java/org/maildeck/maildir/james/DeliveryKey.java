package org.maildeck.maildir.james;

import java.util.Optional;

import org.apache.james.mailbox.MailboxSession;

/**
 * The key of a queued delivery being stored (the mail, the recipient, the folder), so that a
 * delivery the spool repeats after a crash finds the copy it already made (the folder's
 * delivery ledger). Set by the delivering mailet on its session, read by
 * {@link MaildirMessageMapper#add}.
 *
 * <p>A session attribute because James's append path ({@code MessageManager.appendMessage} with
 * an {@code AppendCommand}, down to {@code MessageMapper.add}) has no parameter for it; the
 * session is the one object that goes from the mailet to the mapper. This class is the only
 * place that knows the attribute's name.</p>
 */
public final class DeliveryKey {

    private static final String SESSION_ATTRIBUTE = "org.maildeck.maildir.delivery-key";

    private DeliveryKey() {
    }

    /** The appends made in {@code session} are the delivery {@code key}. */
    public static void attach(MailboxSession session, String key) {
        session.getAttributes().put(SESSION_ATTRIBUTE, key);
    }

    /** The delivery the session's appends are, if it is one. */
    static Optional<String> of(MailboxSession session) {
        return Optional.ofNullable(session.getAttributes().get(SESSION_ATTRIBUTE)).map(Object::toString);
    }
}
