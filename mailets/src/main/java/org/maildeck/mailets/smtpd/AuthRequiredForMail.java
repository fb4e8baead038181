package org.maildeck.mailets.smtpd;

import java.util.Optional;

import org.apache.james.core.MaybeSender;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.MailHook;

/**
 * For submission listeners (587, 465; RFC 6409): no MAIL before a successful AUTH, answered
 * {@code 530 5.7.0 Authentication required} (RFC 4954). Postfix's
 * {@code smtpd_client_restrictions = permit_sasl_authenticated, reject} in master.cf.
 */
public class AuthRequiredForMail implements MailHook {

    @Override
    public HookResult doMail(SMTPSession session, MaybeSender sender) {
        if (session.getUsername() != null) {
            return HookResult.DECLINED;
        }
        return SessionReject.permanent("530", "5.7.0 Authentication required")
            .log(session, "MAIL", sender, Optional.empty());
    }
}
