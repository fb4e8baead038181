package org.maildeck.mailauth;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import javax.inject.Inject;
import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.dnsservice.api.DNSService;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.smtpserver.JamesMessageHook;
import org.apache.mailet.Mail;
import org.maildeck.mailets.MailLog;
import org.maildeck.mailets.smtpd.SessionReject;

/**
 * DMARC (RFC 7489) at the end of DATA, before the server answers, opendmarc's job: the
 * message's DKIM signatures are checked here ({@link DkimVerification}, with DkimVerify's
 * bounds), the session's SPF result is taken from {@link SpfHook} (which must come before this
 * handler in the chain; without it only DKIM can align), and the author domains' policies are
 * looked up and applied ({@link DmarcCheck}, {@link DmarcPolicy}). A failure under
 * {@code p=reject} is refused there and then with
 * {@code 550 5.7.26 Unauthenticated email from <domain> is not accepted due to domain's DMARC policy}
 * (the sender's server keeps the message and tells its sender; a {@code NOQUEUE: reject:} line
 * in the mail log); one under {@code p=quarantine} is accepted and marked for the Junk folder
 * ({@link CheckedInSession#JUNK}, which mailetcontainer.xml's JunkFolder reads); anything else is
 * only marked. The DKIM and DMARC results ride the mail to {@link DkimVerify}, which writes them
 * with SPF's into the one Authentication-Results header. Mail log: {@code <queue id>: dmarc=fail (p=reject dis=reject) header.from=example.com}.
 *
 * <p>Logged-in clients and trusted networks are not checked (their mail is ours), and a check
 * that cannot run (an unreadable message) lets the mail go on, for DkimVerify to check its
 * signatures in the pipeline: DMARC never refuses mail for an error of its own, nor for a DNS
 * that does not answer (temperror).</p>
 *
 * <p>Parameters, besides {@link DmarcPolicy}'s and DkimVerify's DKIM bounds ({@code maxSignatures},
 * {@code maxKeyBits}, {@code maxKeyRecordLength}, {@code maxSeconds}): {@code maxRecordLength}
 * (characters of a DMARC record, default 1024) and {@code maxAuthorDomains} (author domains
 * checked per message, default 5).</p>
 */
public class DmarcHook implements JamesMessageHook {

    private final DNSService dns;
    private final MailAuthCounters counters;
    private DkimVerification dkim;
    private DmarcCheck check;
    private DmarcPolicy policy;
    private int maxAuthorDomains;

    @Inject
    public DmarcHook(DNSService dns, MailAuthCounters counters) {
        this.dns = dns;
        this.counters = counters;
    }

    @Override
    public void init(Configuration config) throws ConfigurationException {
        policy = DmarcPolicy.from(config);
        dkim = DkimVerification.configured(dns, config::getInt);
        check = new DmarcCheck(new DmarcDiscovery(dns, config.getInt("maxRecordLength", 1024)),
            () -> ThreadLocalRandom.current().nextInt(100));
        maxAuthorDomains = config.getInt("maxAuthorDomains", 5);
        // Guava builds its public suffix tables on first use (tens of milliseconds): at start,
        // not while the first checked message waits for its answer to DATA.
        OrganizationalDomain.of("mail.example.org");
    }

    @Override
    public HookResult onMessage(SMTPSession session, Mail mail) {
        if (session.getUsername() != null || session.isRelayingAllowed()) {
            return HookResult.DECLINED;
        }
        DmarcResult result;
        try {
            MimeMessage message = mail.getMessage();
            List<DkimResult> signatures = dkim.verify(message);
            CheckedInSession.recordDkim(mail, signatures);
            DkimVerify.report(mail, signatures, counters);
            result = check.evaluate(AuthorDomains.of(message, maxAuthorDomains), SpfHook.sessionResult(session), signatures);
        } catch (MessagingException | RuntimeException e) {
            MailLog.LOGGER.warn("{}: DMARC not checked: {}", mail.getName(), e.toString());
            return HookResult.DECLINED;
        }
        CheckedInSession.recordDmarc(mail, result);
        counters.count("dmarc=" + result.result());
        MailLog.LOGGER.info("{}: {}", mail.getName(), result.resinfo());
        return switch (policy.actionFor(result)) {
            case REFUSE -> {
                counters.count("dmarc-refused");
                yield SessionReject.permanent("550", "5.7.26 Unauthenticated email from " + result.fromDomain().orElse("")
                        + " is not accepted due to domain's DMARC policy")
                    .log(session, "END-OF-MESSAGE", mail.getMaybeSender(), mail.getRecipients().stream().findFirst());
            }
            case JUNK -> {
                counters.count("dmarc-junk");
                CheckedInSession.markForJunk(mail);
                yield HookResult.DECLINED;
            }
            case MARK -> HookResult.DECLINED;
        };
    }
}
