package org.maildeck.mailets.smtpd;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import javax.inject.Inject;

import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.james.domainlist.api.DomainList;
import org.apache.james.domainlist.api.DomainListException;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HeloHook;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.RcptHook;
import org.apache.james.server.core.MailImpl;
import org.apache.james.smtpserver.JamesMessageHook;
import org.apache.mailet.Mail;

import com.google.common.base.Splitter;

/**
 * Who may send mail through this server to other domains, decided at RCPT time as Postfix's
 * {@code permit_mynetworks, permit_sasl_authenticated, reject_unauth_destination} does. A
 * recipient is accepted when
 * <ul>
 *   <li>its domain is local (the domain list), and its local part does not route elsewhere;</li>
 *   <li>or the client is in {@code trustedNetworks} or has logged in (SMTP AUTH);</li>
 *   <li>or its domain is one of the {@code relayDomains} this server is a backup or gateway for.</li>
 * </ul>
 * Everyone else gets {@code 554 5.7.1 <address>: Relay access denied}, with a mail-log line
 * naming the client. A local part that names another destination ({@code user%other@local},
 * {@code other!user@local}, {@code "user@other"@local}) is such a relay attempt too: other mail
 * software would forward it, so it is only taken from clients that may relay anyway.
 *
 * <p>Parameters: {@code trustedNetworks} (addresses and networks, IPv4 and IPv6, see
 * {@link TrustedNetworks}; default loopback only), {@code relayDomains} (domain names, default
 * none). From HELO/EHLO on, the trusted networks also decide what James calls "relaying
 * allowed" for the session (read by {@link SenderOwnership} and {@link SmtpAuthPolicy}), so
 * listeners no longer use {@code <authorizedAddresses>}.</p>
 */
public class RelayPolicy implements HeloHook, RcptHook, JamesMessageHook {

    private static final String DEFAULT_TRUSTED_NETWORKS = "127.0.0.1/32, ::1/128";

    private final DomainList domains;
    private TrustedNetworks trustedNetworks = TrustedNetworks.parse(DEFAULT_TRUSTED_NETWORKS);
    private Set<String> relayDomains = Set.of();

    private final RelayDenials relayDenials;

    @Inject
    public RelayPolicy(DomainList domains, RelayDenials relayDenials) {
        this.domains = domains;
        this.relayDenials = relayDenials;
    }

    @Override
    public void init(Configuration config) throws ConfigurationException {
        try {
            trustedNetworks = TrustedNetworks.parse(config.getString("trustedNetworks", DEFAULT_TRUSTED_NETWORKS));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("RelayPolicy <trustedNetworks>: " + e.getMessage(), e);
        }
        relayDomains = Splitter.onPattern("[,\\s]+").omitEmptyStrings()
            .splitToStream(config.getString("relayDomains", ""))
            .map(domain -> domain.toLowerCase(Locale.ROOT))
            .collect(Collectors.toUnmodifiableSet());
    }

    /*
     * Marks the session at HELO/EHLO, which every listener requires before MAIL: a connect
     * handler would be the natural place, but James's JMX statistics fail on connect handlers
     * that do not answer.
     */
    @Override
    public HookResult doHelo(SMTPSession session, String helo) {
        session.setRelayingAllowed(isTrusted(session) || session.getUsername() != null);
        return HookResult.DECLINED;
    }

    private boolean isTrusted(SMTPSession session) {
        return trustedNetworks.contains(session.getRemoteAddress().getAddress());
    }

    @Override
    public HookResult doRcpt(SMTPSession session, MaybeSender sender, MailAddress rcpt, Map<String, String> parameters) {
        return doRcpt(session, sender, rcpt);
    }

    @Override
    public HookResult doRcpt(SMTPSession session, MaybeSender sender, MailAddress rcpt) {
        boolean local;
        try {
            local = domains.containsDomain(rcpt.getDomain());
        } catch (DomainListException e) {
            return SessionReject.lookupFailure(rcpt)
                .log(session, "RCPT", sender, Optional.of(rcpt));
        }
        boolean routesElsewhere = routesElsewhere(rcpt.getLocalPart());
        if (local && !routesElsewhere) {
            return HookResult.DECLINED;
        }
        if (isTrusted(session) || session.getUsername() != null || (!routesElsewhere && relayDomains.contains(rcpt.getDomain().asString()))) {
            if (!local) {
                RelayGrants.grant(session, rcpt);
            }
            return HookResult.DECLINED;
        }
        relayDenials.record();
        return relayDenied(rcpt).log(session, "RCPT", sender, Optional.of(rcpt));
    }

    static SessionReject relayDenied(MailAddress rcpt) {
        return SessionReject.permanent("554", "5.7.1 <" + rcpt.asString() + ">: Relay access denied");
    }

    /**
     * Percent hack, bang path, or an address inside the (quoted or escaped) local part: forms
     * that older mail software routes to the domain they name rather than to this one.
     */
    static boolean routesElsewhere(String localPart) {
        return localPart.indexOf('%') >= 0 || localPart.indexOf('!') >= 0 || localPart.indexOf('@') >= 0;
    }

    /**
     * Carries the RCPT-time grants to the pipeline ({@code RelayGranted} matcher), and whether
     * the client is trusted (the content filter's spam checks skip such mail by default): {@link RelayDecision}.
     */
    @Override
    public HookResult onMessage(SMTPSession session, Mail mail) {
        if (session.getUsername() != null) {
            RelayDecision.recordTrustedClient(mail, "logged in as " + session.getUsername().asString());
        } else if (isTrusted(session)) {
            RelayDecision.recordTrustedClient(mail, "in a trusted network");
        }
        Set<MailAddress> grants = RelayGrants.of(session);
        if (!grants.isEmpty() && mail instanceof MailImpl) {
            RelayDecision.recordGranted(mail, grants);
        }
        return HookResult.DECLINED;
    }
}
