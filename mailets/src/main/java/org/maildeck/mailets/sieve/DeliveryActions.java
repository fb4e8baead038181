package org.maildeck.mailets.sieve;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import org.apache.james.transport.mailets.jsieve.ActionContext;
import org.apache.james.transport.mailets.jsieve.ActionDispatcher;
import org.apache.james.transport.mailets.jsieve.FileIntoAction;
import org.apache.james.transport.mailets.jsieve.MailAction;
import org.apache.jsieve.mail.ActionDiscard;
import org.apache.jsieve.mail.ActionFileInto;
import org.apache.jsieve.mail.ActionKeep;
import org.apache.jsieve.mail.ActionRedirect;
import org.apache.jsieve.mail.ActionReject;
import org.apache.jsieve.mail.optional.ActionVacation;
import org.apache.mailet.Mail;

/**
 * James's Sieve actions, with Maildeck's where James's do not do what delivery needs:
 * {@code keep} leaves the folder to the delivery (James files into INBOX explicitly, which hides
 * a spam mail from the Junk rule after it), {@code discard} and {@code reject} say so in the mail
 * log, {@code redirect} stops loops, {@code vacation} answers once per sender and period.
 * {@code fileinto} is James's: it names the folder in the mail's {@code StorageDirective}, which
 * {@code MaildirDelivery} honours (creating the folder, under the store's delivery ledger). Both
 * give the copy the run's {@code imap4flags} ({@link SieveFlags}).
 */
final class DeliveryActions extends ActionDispatcher {

    DeliveryActions(VacationMemory vacationMemory) {
        ConcurrentMap<Class<?>, MailAction> actions = new ConcurrentHashMap<>(getMethodMap());
        FileIntoAction fileInto = new FileIntoAction();
        actions.put(ActionKeep.class, (action, mail, context) -> flagged(mail, context));
        actions.put(ActionFileInto.class, (action, mail, context) -> {
            fileInto.execute(action, mail, context);
            flagged(mail, context);
        });
        actions.put(ActionDiscard.class, new LoggedDiscard());
        actions.put(ActionReject.class, new SenderToldReject());
        actions.put(ActionRedirect.class, new LoopSafeRedirect());
        actions.put(ActionVacation.class, new Vacation(vacationMemory));
        setMethodMap(actions);
    }

    private static void flagged(Mail mail, ActionContext context) {
        RecipientMailAdapter run = (RecipientMailAdapter) context;
        run.flags().applyTo(mail, run.user());
    }
}
