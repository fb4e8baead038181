package org.maildeck.mailets.smtpd;

import java.util.Optional;

import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.core.MaybeSender;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.MailHook;

/**
 * For the filter port, which passes everything on to its next hop: only the MTA in front of it
 * (a client in {@code trustedNetworks}, loopback by default) may send mail there, so that the
 * port can never become an open relay nor a way around that MTA's own checks, even if it were
 * bound to a public address. Anyone else gets Postfix's
 * {@code 554 5.7.1 Client host rejected: Access denied} to MAIL.
 */
public class TrustedClientsOnly implements MailHook {

    private TrustedNetworks trustedNetworks = TrustedNetworks.parse("127.0.0.1/32, ::1/128");

    @Override
    public void init(Configuration config) throws ConfigurationException {
        try {
            trustedNetworks = TrustedNetworks.parse(config.getString("trustedNetworks", "127.0.0.1/32, ::1/128"));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("TrustedClientsOnly <trustedNetworks>: " + e.getMessage(), e);
        }
    }

    @Override
    public HookResult doMail(SMTPSession session, MaybeSender sender) {
        if (trustedNetworks.contains(session.getRemoteAddress().getAddress())) {
            return HookResult.DECLINED;
        }
        return SessionReject.permanent("554", "5.7.1 Client host rejected: Access denied")
            .log(session, "MAIL", sender, Optional.empty());
    }
}
