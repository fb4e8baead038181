package org.maildeck.maildir.james;

import org.apache.james.mailbox.MessageUid;
import org.apache.james.mailbox.model.Headers;
import org.apache.james.mailbox.model.MailboxId;

/**
 * A message's header that says which message it belongs to, so that what is derived from the
 * header alone (the ENVELOPE, by james-overrides' {@code EnvelopeBuilder}) can be kept and
 * answered again without reading and parsing the file: Dovecot's {@code dovecot.index.cache}
 * does the same for the fields it has been asked for.
 *
 * <p>A message's content never changes under its UID, and a UID is never given to another message
 * while the folder's UIDVALIDITY stays (RFC 9051 §2.3.1.1): flags change, expunges remove, but
 * (folder, UIDVALIDITY, UID) names one content for good, whoever changes the folder (Dovecot,
 * another session, a delivery). So a value kept under {@link #message()} needs no invalidation.
 */
public interface IdentifiedHeaders extends Headers {

    /** The message whose header this is. */
    Identity message();

    record Identity(MailboxId mailbox, long uidValidity, MessageUid uid) {
    }
}
