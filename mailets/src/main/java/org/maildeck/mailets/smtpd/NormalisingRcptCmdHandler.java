package org.maildeck.mailets.smtpd;

import java.util.Optional;

import javax.inject.Inject;

import org.apache.james.core.MaybeSender;
import org.apache.james.domainlist.api.DomainList;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.smtpserver.JamesRcptCmdHandler;

/**
 * James's RCPT command, with the forward-path normalised first ({@link RecipientPath}) so that
 * the relay decision sees the real destination, and unqualified recipients from untrusted,
 * unauthenticated clients refused ({@code 504 5.5.2 <user>: Recipient address rejected: need
 * fully-qualified address}, Postfix's {@code reject_non_fqdn_recipient}) instead of being
 * completed with the default domain. {@code <postmaster>} is always taken.
 * <p>
 * A recipient with {@code ;} in it (legal when quoted, {@code "a;b"@example.com}) is refused with
 * {@code 501 5.1.3}: James's mail queue keeps a mail's recipients as one {@code ;}-separated list
 * and would split it after the 250, losing that recipient without a bounce.
 * <p>
 * Beyond the listener's {@link RecipientLimit} every recipient gets {@code 452 4.5.3}.
 */
public class NormalisingRcptCmdHandler extends JamesRcptCmdHandler {

    @Inject
    public NormalisingRcptCmdHandler(MetricFactory metricFactory, DomainList domainList) {
        super(metricFactory, domainList);
    }

    @Override
    protected Response doFilterChecks(SMTPSession session, String command, String argument) {
        int colon = argument == null ? -1 : argument.indexOf(':');
        if (colon < 0) {
            return super.doFilterChecks(session, command, argument);
        }
        String rest = argument.substring(colon + 1).trim();
        int close = rest.lastIndexOf('>');
        if (!rest.startsWith("<") || close < 0) {
            return super.doFilterChecks(session, command, argument);
        }
        String path = rest.substring(1, close);
        Optional<MaybeSender> sender = session.getAttachment(SMTPSession.SENDER, ProtocolSession.State.Transaction);
        Optional<Response> tooMany = sender.flatMap(from -> RecipientLimit.refusal(session, from, path));
        if (tooMany.isPresent()) {
            return tooMany.get();
        }
        if (sender.isPresent() && path.indexOf(';') >= 0) {
            return SessionReject.permanent("501", "5.1.3 <" + path + ">: Recipient address rejected: ';' cannot be queued")
                .logResponse(session, "RCPT", sender.get(), Optional.of(path));
        }
        if (sender.isPresent() && RecipientPath.isUnqualified(path)
                && !session.isRelayingAllowed() && session.getUsername() == null) {
            return SessionReject.permanent("504", "5.5.2 <" + path + ">: Recipient address rejected: need fully-qualified address")
                .logResponse(session, "RCPT", sender.get(), Optional.of(path));
        }
        String normalised = argument.substring(0, colon + 1) + "<" + RecipientPath.normalise(path) + rest.substring(close);
        return super.doFilterChecks(session, command, normalised);
    }
}
