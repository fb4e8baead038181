package org.maildeck.mailauth;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import javax.inject.Inject;

import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.james.dnsservice.api.DNSService;
import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.MailHook;
import org.apache.james.protocols.smtp.hook.RcptHook;
import org.apache.james.smtpserver.JamesMessageHook;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.maildeck.mailets.MailLog;
import org.maildeck.mailets.StringAttributes;
import org.maildeck.mailets.smtpd.ClientName;

/**
 * SPF (RFC 7208) at the SMTP edge, policyd-spf's job: at MAIL FROM the sender's domain (the
 * HELO name for the null sender, RFC 7208 2.4) is checked against the client's address
 * ({@link SpfCheck}); {@link SpfPolicy} says whether the result refuses MAIL, each RCPT, or
 * nothing. The result rides the transaction to the accepted mail (attribute {@link #RESULT},
 * e.g. {@code spf=pass smtp.mailfrom=alice@example.com}) for {@link DkimVerify} to put in the
 * one Authentication-Results header. Mail log, one line per check:
 * {@code spf=fail smtp.mailfrom=eve@example.com client=unknown[192.0.2.7]}, then the usual
 * {@code NOQUEUE: reject:} line when refused.
 *
 * <p>Logged-in clients and trusted networks (the session's "relaying allowed", set by
 * RelayPolicy at HELO, so this handler comes after it in the chain) are not checked: their mail
 * is ours.</p>
 *
 * <p>Parameters, besides {@link SpfPolicy}'s: {@code maxDnsQueries} (default 30) and
 * {@code maxSeconds} (default 20) bound one check; beyond them, temperror.</p>
 */
public class SpfHook implements MailHook, RcptHook, JamesMessageHook {

    /** The check's Authentication-Results resinfo, a string. */
    public static final AttributeName RESULT = AttributeName.of("org.maildeck.spf");

    private static final ProtocolSession.AttachmentKey<SpfResult> KEY = ProtocolSession.AttachmentKey.of("maildeck.spf", SpfResult.class);

    private final DNSService dns;
    private final MailAuthCounters counters;
    private SpfCheck check;
    private SpfPolicy policy;

    @Inject
    public SpfHook(DNSService dns, MailAuthCounters counters) {
        this.dns = dns;
        this.counters = counters;
    }

    @Override
    public void init(Configuration config) throws ConfigurationException {
        policy = SpfPolicy.from(config);
        check = new SpfCheck(SpfDns.Lookup.of(dns), config.getInt("maxDnsQueries", 30),
            Duration.ofSeconds(config.getInt("maxSeconds", 20)), Clock.systemUTC());
    }

    @Override
    public HookResult doMail(SMTPSession session, MaybeSender sender) {
        if (session.getUsername() != null || session.isRelayingAllowed()) {
            return HookResult.DECLINED;
        }
        String ip = session.getRemoteAddress().getAddress().getHostAddress();
        String helo = session.getAttachment(SMTPSession.CURRENT_HELO_NAME, ProtocolSession.State.Connection).orElse("");
        SpfResult result = check.check(ip, sender.asString(""), helo);
        session.setAttachment(KEY, result, ProtocolSession.State.Transaction);
        counters.count("spf=" + result.result());
        MailLog.LOGGER.info("{} client={}", result.resinfo(), ClientName.of(session));
        if (policy.refuseAt() == SpfPolicy.Stage.MAIL) {
            return refusal(session, result, "MAIL", sender, Optional.empty());
        }
        return HookResult.DECLINED;
    }

    @Override
    public HookResult doRcpt(SMTPSession session, MaybeSender sender, MailAddress rcpt, Map<String, String> parameters) {
        return doRcpt(session, sender, rcpt);
    }

    @Override
    public HookResult doRcpt(SMTPSession session, MaybeSender sender, MailAddress rcpt) {
        if (policy.refuseAt() != SpfPolicy.Stage.RCPT) {
            return HookResult.DECLINED;
        }
        return session.getAttachment(KEY, ProtocolSession.State.Transaction)
            .map(result -> refusal(session, result, "RCPT", sender, Optional.of(rcpt)))
            .orElse(HookResult.DECLINED);
    }

    private HookResult refusal(SMTPSession session, SpfResult result, String command, MaybeSender sender, Optional<MailAddress> rcpt) {
        return policy.refusal(result, session.getRemoteAddress().getAddress().getHostAddress())
            .map(reject -> {
                counters.count("spf-refused");
                return reject.log(session, command, sender, rcpt);
            })
            .orElse(HookResult.DECLINED);
    }

    @Override
    public HookResult onMessage(SMTPSession session, Mail mail) {
        session.getAttachment(KEY, ProtocolSession.State.Transaction)
            .ifPresent(result -> mail.setAttribute(new Attribute(RESULT, AttributeValue.of(result.resinfo()))));
        return HookResult.DECLINED;
    }

    /** The SPF result of the session's current transaction, if it was checked. */
    static Optional<SpfResult> sessionResult(SMTPSession session) {
        return session.getAttachment(KEY, ProtocolSession.State.Transaction);
    }

    /** The SPF resinfo a mail carries from its SMTP session, if it was checked. */
    static Optional<String> resinfo(Mail mail) {
        return StringAttributes.string(mail, RESULT);
    }
}
