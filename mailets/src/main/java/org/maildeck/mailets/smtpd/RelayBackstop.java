package org.maildeck.mailets.smtpd;

import java.util.Optional;

import javax.inject.Inject;

import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.james.domainlist.api.DomainList;
import org.apache.james.domainlist.api.DomainListException;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.RcptHook;

/**
 * The last RCPT check of every listener (part of {@link MaildeckSmtpHandlers}, so it cannot be
 * configured away): a remote recipient that {@link RelayPolicy} did not allow is refused. With a
 * {@code RelayPolicy} handler configured this never triggers; without one, the listener relays for
 * nobody instead of for everybody.
 */
public class RelayBackstop implements RcptHook {

    private final DomainList domains;

    private final RelayDenials relayDenials;

    @Inject
    public RelayBackstop(DomainList domains, RelayDenials relayDenials) {
        this.domains = domains;
        this.relayDenials = relayDenials;
    }

    @Override
    public HookResult doRcpt(SMTPSession session, MaybeSender sender, MailAddress rcpt) {
        try {
            if (domains.containsDomain(rcpt.getDomain()) || RelayGrants.isGranted(session, rcpt)) {
                return HookResult.DECLINED;
            }
        } catch (DomainListException e) {
            return SessionReject.lookupFailure(rcpt)
                .log(session, "RCPT", sender, Optional.of(rcpt));
        }
        relayDenials.record();
        return RelayPolicy.relayDenied(rcpt).log(session, "RCPT", sender, Optional.of(rcpt));
    }
}
