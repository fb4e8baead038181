package org.maildeck.mailets.smtpd;

import java.util.Optional;

import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.smtp.MailEnvelope;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.MessageHook;

/**
 * Refuses, at the end of DATA, a message one of whose lines was longer than the listener's
 * {@code dataLineLimit}: {@code 552 5.3.4 Message line too long}, one reply, and a mail-log line
 * ({@code NOQUEUE: reject: END-OF-MESSAGE from ...}). The framer dropped that line, so the rest
 * of the message must not be delivered without it; the client still sends the message to its end
 * and the session stays in step. Postfix keeps such lines (it splits them internally); Maildeck
 * keeps lines up to the limit byte for byte and refuses beyond it rather than change the mail.
 * Over LMTP, {@code HookedMailetContainerHandler} gives this reply to every recipient.
 */
public class OverlongDataLine implements MessageHook {

    private static final ProtocolSession.AttachmentKey<Boolean> SEEN =
        ProtocolSession.AttachmentKey.of("maildeck.overlongDataLine", Boolean.class);

    /** Called by the session when the framer dropped a line of the message being received. */
    public static void mark(SMTPSession session) {
        session.setAttachment(SEEN, Boolean.TRUE, ProtocolSession.State.Transaction);
    }

    @Override
    public HookResult onMessage(SMTPSession session, MailEnvelope mail) {
        if (!session.getAttachment(SEEN, ProtocolSession.State.Transaction).orElse(false)) {
            return HookResult.DECLINED;
        }
        return SessionReject.permanent("552", "5.3.4 Message line too long")
            .log(session, "END-OF-MESSAGE", mail.getMaybeSender(), mail.getRecipients().stream().findFirst());
    }
}
