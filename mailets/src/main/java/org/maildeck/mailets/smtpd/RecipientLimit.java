package org.maildeck.mailets.smtpd;

import java.util.List;
import java.util.Optional;

import org.apache.james.core.MaybeSender;
import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.smtp.SMTPConfiguration;
import org.apache.james.protocols.smtp.SMTPSession;

/**
 * The most recipients one transaction takes (postfix {@code smtpd_recipient_limit}, 1000 by
 * default): each RCPT beyond it gets Postfix's {@code 452 4.5.3 Error: too many recipients}, a
 * temporary refusal, so the client sends the rest in another transaction. The first refusal of a
 * transaction is written to the mail log ({@code NOQUEUE: reject: RCPT ...}), not every one; the
 * disconnect line counts them all. A listener's limit is {@code <recipientLimit>} in
 * smtpserver.xml (0: none).
 */
final class RecipientLimit {

    static final int POSTFIX_DEFAULT = 1000;

    private static final ProtocolSession.AttachmentKey<Boolean> LOGGED =
        ProtocolSession.AttachmentKey.of("maildeck.recipientLimitLogged", Boolean.class);

    private RecipientLimit() {
    }

    /** The refusal of one more recipient in this transaction, if the limit is reached. */
    static Optional<Response> refusal(SMTPSession session, MaybeSender sender, String recipient) {
        int limit = limitOf(session.getConfiguration());
        int accepted = session.getAttachment(SMTPSession.RCPT_LIST, ProtocolSession.State.Transaction).map(List::size).orElse(0);
        if (limit <= 0 || accepted < limit) {
            return Optional.empty();
        }
        SessionReject reject = SessionReject.temporary("452", "4.5.3 Error: too many recipients");
        if (session.getAttachment(LOGGED, ProtocolSession.State.Transaction).isPresent()) {
            return Optional.of(reject.response());
        }
        session.setAttachment(LOGGED, Boolean.TRUE, ProtocolSession.State.Transaction);
        return Optional.of(reject.logResponse(session, "RCPT", sender, Optional.of(recipient)));
    }

    private static int limitOf(SMTPConfiguration configuration) {
        return configuration instanceof RecipientLimitSetting setting ? setting.recipientLimit() : POSTFIX_DEFAULT;
    }
}
