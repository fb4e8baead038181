package org.maildeck.mailets.sieve;

import org.apache.james.transport.mailets.jsieve.ActionContext;
import org.apache.james.transport.mailets.jsieve.DiscardAction;
import org.apache.james.transport.mailets.jsieve.MailAction;
import org.apache.jsieve.mail.Action;
import org.apache.mailet.Mail;

/** {@code discard}: the recipient gets no copy, and the mail log says the script dropped it. */
final class LoggedDiscard implements MailAction {

    @Override
    public void execute(Action action, Mail mail, ActionContext context) {
        DiscardAction.removeRecipient(mail, context);
        SieveLog.did(mail, context.getRecipient(), "status=discarded (by the recipient's Sieve script)");
    }
}
