package org.maildeck.mailets.smtpd;

import java.util.LinkedHashSet;
import java.util.Set;

import org.apache.james.core.MailAddress;
import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.smtp.SMTPSession;

/**
 * The remote recipients {@link RelayPolicy} allowed in the current SMTP transaction. The
 * {@link RelayBackstop} refuses any remote recipient not listed here, and the message hook copies
 * the list onto the mail ({@link RelayDecision}) for the pipeline's {@code RelayGranted} matcher: the decision is taken
 * once, at RCPT time.
 */
final class RelayGrants {

    @SuppressWarnings("unchecked")
    private static final ProtocolSession.AttachmentKey<Set<MailAddress>> KEY =
        ProtocolSession.AttachmentKey.of("maildeck.relay-grants", (Class<Set<MailAddress>>) (Object) Set.class);

    private RelayGrants() {
    }

    static void grant(SMTPSession session, MailAddress recipient) {
        Set<MailAddress> grants = new LinkedHashSet<>(of(session));
        grants.add(recipient);
        session.setAttachment(KEY, grants, ProtocolSession.State.Transaction);
    }

    static boolean isGranted(SMTPSession session, MailAddress recipient) {
        return of(session).contains(recipient);
    }

    static Set<MailAddress> of(SMTPSession session) {
        return session.getAttachment(KEY, ProtocolSession.State.Transaction).orElse(Set.of());
    }
}
