package org.maildeck.mailets.sieve;

import java.util.List;

import javax.mail.MessagingException;

import org.apache.james.lifecycle.api.LifecycleUtil;
import org.apache.james.transport.mailets.jsieve.ActionContext;
import org.apache.james.transport.mailets.jsieve.DiscardAction;
import org.apache.james.transport.mailets.jsieve.MailAction;
import org.apache.jsieve.mail.Action;
import org.apache.jsieve.mail.ActionReject;
import org.apache.mailet.Mail;
import org.maildeck.mailets.DeliveryFailure;
import org.maildeck.mailets.RecipientFailures;

/**
 * {@code ereject} after the mail was accepted: a copy of the mail, for this recipient only,
 * goes to the bounce processor (the one that answers a mailbox full), which sends the sender a
 * delivery status notice {@code 5.7.1} with the script's reason, as Postfix would for a
 * refusal at RCPT. Mail from {@code <>} is dropped without one (RFC 5429 2.1: never a notice to
 * a notice).
 */
final class BouncedReject implements MailAction {

    private final String bounceProcessor;

    BouncedReject(String bounceProcessor) {
        this.bounceProcessor = bounceProcessor;
    }

    @Override
    public void execute(Action action, Mail mail, ActionContext context) throws MessagingException {
        String reason = ((ActionReject) action).getMessage();
        DiscardAction.removeRecipient(mail, context);
        if (!mail.hasSender()) {
            SieveLog.did(mail, context.getRecipient(), "status=rejected (" + reason + "), sender <> not told");
            return;
        }
        Mail bounced = mail.duplicate();
        try {
            bounced.setRecipients(List.of(context.getRecipient()));
            bounced.setErrorMessage("550 5.7.1 " + reason);
            RecipientFailures.record(bounced, context.getRecipient().asString(), DeliveryFailure.from("5.7.1 " + reason, "5.7.1"));
            ((RecipientMailAdapter) context).getMailetContext().sendMail(bounced, bounceProcessor);
        } finally {
            LifecycleUtil.dispose(bounced);
        }
        SieveLog.did(mail, context.getRecipient(), "status=rejected (" + reason + "), sender told by a delivery status notice");
    }
}
