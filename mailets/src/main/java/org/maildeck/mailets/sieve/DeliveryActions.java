package org.maildeck.mailets.sieve;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import org.apache.james.transport.mailets.jsieve.ActionDispatcher;
import org.apache.james.transport.mailets.jsieve.MailAction;
import org.apache.jsieve.mail.ActionDiscard;
import org.apache.jsieve.mail.ActionFileInto;
import org.apache.jsieve.mail.ActionKeep;
import org.apache.jsieve.mail.ActionRedirect;
import org.apache.jsieve.mail.ActionReject;
import org.apache.jsieve.mail.optional.ActionVacation;

/**
 * James's Sieve actions, with Maildeck's where James's do not do what delivery needs:
 * {@code keep} and {@code fileinto} are noted in the run's {@link SieveFolders} (put on the mail
 * at the end of the run: James's file one folder, and its keep files into INBOX explicitly,
 * which hides a spam mail from the Junk rule after it), {@code discard} and {@code reject} say
 * so in the mail log, {@code ereject} bounces, {@code redirect} stops loops, {@code vacation}
 * answers once per sender and period.
 */
final class DeliveryActions extends ActionDispatcher {

    DeliveryActions(VacationMemory vacationMemory, String bounceProcessor) {
        ConcurrentMap<Class<?>, MailAction> actions = new ConcurrentHashMap<>(getMethodMap());
        actions.put(ActionKeep.class, (action, mail, context) -> ((RecipientMailAdapter) context).folders().keep());
        actions.put(ActionFileInto.class, (action, mail, context) ->
            ((RecipientMailAdapter) context).folders().fileInto(((ActionFileInto) action).getDestination()));
        actions.put(ActionDiscard.class, new LoggedDiscard());
        actions.put(ActionReject.class, new SenderToldReject());
        actions.put(ERejectCommand.Refusal.class, new BouncedReject(bounceProcessor));
        actions.put(ActionRedirect.class, new LoopSafeRedirect());
        actions.put(ActionVacation.class, new Vacation(vacationMemory));
        setMethodMap(actions);
    }
}
