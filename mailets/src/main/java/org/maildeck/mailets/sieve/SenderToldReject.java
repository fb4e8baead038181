package org.maildeck.mailets.sieve;

import javax.mail.MessagingException;

import org.apache.james.transport.mailets.jsieve.ActionContext;
import org.apache.james.transport.mailets.jsieve.DiscardAction;
import org.apache.james.transport.mailets.jsieve.MailAction;
import org.apache.james.transport.mailets.jsieve.RejectAction;
import org.apache.jsieve.mail.Action;
import org.apache.jsieve.mail.ActionReject;
import org.apache.mailet.Mail;

/**
 * {@code reject}: James's refusal notice (an MDN from the recipient, sent with the null sender),
 * except for mail from {@code <>}, which is itself a notice and is only dropped (RFC 5429 2.1:
 * never answer a notice with a notice).
 */
final class SenderToldReject implements MailAction {

    private final RejectAction james = new RejectAction();

    @Override
    public void execute(Action action, Mail mail, ActionContext context) throws MessagingException {
        if (!mail.hasSender()) {
            DiscardAction.removeRecipient(mail, context);
            SieveLog.did(mail, context.getRecipient(), "status=rejected (" + ((ActionReject) action).getMessage() + "), sender <> not told");
            return;
        }
        james.execute(action, mail, context);
        SieveLog.did(mail, context.getRecipient(), "status=rejected (" + ((ActionReject) action).getMessage() + "), sender told");
    }
}
