package org.maildeck.mailets.smtpd;

import java.util.Optional;

import javax.inject.Inject;
import javax.mail.MessagingException;

import org.apache.james.core.Username;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.apache.james.queue.api.MailQueueFactory;
import org.apache.james.smtpserver.SendMailHandler;
import org.apache.mailet.Mail;
import org.maildeck.mailets.DeliveryOutcomes;

/**
 * James's {@link SendMailHandler} (puts the accepted mail into the spool), followed by the mail-log
 * line that gives the mail its queue id, like Postfix's qmgr line:
 * <pre>Mail1700000000000-1a2b: from=&lt;alice@example.org&gt;, size=912, nrcpt=2, client=unknown[192.0.2.7], sasl_username=alice@example.org, message-id=&lt;x@example.org&gt;</pre>
 * Written only once the spool has the mail, so every line of this kind stands for a mail the
 * server is responsible for.
 */
public class SpoolAndLog extends SendMailHandler {

    private final DeliveryOutcomes outcomes;

    @Inject
    public SpoolAndLog(MailQueueFactory<?> queueFactory, DeliveryOutcomes outcomes) {
        super(queueFactory);
        this.outcomes = outcomes;
    }

    @Override
    public HookResult onMessage(SMTPSession session, Mail mail) {
        HookResult result = super.onMessage(session, mail);
        if (result.getResult().getAction() == HookReturnCode.Action.OK) {
            outcomes.queued(mail, size(mail), ClientName.of(session),
                Optional.ofNullable(session.getUsername()).map(Username::asString), messageId(mail));
        }
        return result;
    }

    private static long size(Mail mail) {
        try {
            return mail.getMessageSize();
        } catch (MessagingException e) {
            return -1;
        }
    }

    /** The Message-ID header as the client sent it; none for a message without one. */
    private static Optional<String> messageId(Mail mail) {
        try {
            return Optional.ofNullable(mail.getMessage().getMessageID());
        } catch (MessagingException e) {
            return Optional.empty();
        }
    }
}
