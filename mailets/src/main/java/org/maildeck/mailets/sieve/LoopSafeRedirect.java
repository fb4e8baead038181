package org.maildeck.mailets.sieve;

import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.apache.james.lifecycle.api.LifecycleUtil;
import org.apache.james.server.core.MailImpl;
import org.apache.james.transport.mailets.jsieve.ActionContext;
import org.apache.james.transport.mailets.jsieve.DiscardAction;
import org.apache.james.transport.mailets.jsieve.MailAction;
import org.apache.jsieve.mail.Action;
import org.apache.jsieve.mail.ActionRedirect;
import org.apache.mailet.Mail;

/**
 * {@code redirect}: a new mail to the address, with the original envelope sender, sent through
 * the spool like any mail the server makes (so the relay rules and the outgoing queue apply, as
 * to an alias forward). Each redirect adds {@value #HEADER}{@code : <recipient>}; a message that
 * already carries the recipient there, or {@value #MAX_HOPS} such fields, is in a loop (two users
 * redirecting to each other, here or through another server) and is kept instead, the mail log
 * saying so. James's redirect only notices a loop within one mail.
 */
final class LoopSafeRedirect implements MailAction {

    static final String HEADER = "X-Sieve-Redirected-From";
    static final int MAX_HOPS = 10;

    @Override
    public void execute(Action action, Mail mail, ActionContext context) throws MessagingException {
        MailAddress recipient = context.getRecipient();
        String target = ((ActionRedirect) action).getAddress();
        String[] earlier = mail.getMessage().getHeader(HEADER);
        if (earlier != null && (earlier.length >= MAX_HOPS || contains(earlier, recipient))) {
            SieveLog.did(mail, recipient, "redirect to <" + target + "> refused: mail loop (" + HEADER + "), kept");
            return;
        }
        MimeMessage copy = new MimeMessage(mail.getMessage());
        // no saveChanges: it would give the copy a new Message-ID
        copy.addHeader(HEADER, recipient.asString());
        MailImpl redirected = MailImpl.builder()
            .name(MailImpl.getId())
            .sender(mail.getMaybeSender())
            .addRecipient(new MailAddress(target))
            .mimeMessage(copy)
            .build();
        try {
            context.post(redirected);
        } finally {
            LifecycleUtil.dispose(redirected);
        }
        SieveLog.did(mail, recipient, "status=redirected to <" + target + "> as " + redirected.getName());
        DiscardAction.removeRecipient(mail, context);
    }

    private static boolean contains(String[] values, MailAddress recipient) {
        for (String value : values) {
            if (value.trim().equalsIgnoreCase(recipient.asString())) {
                return true;
            }
        }
        return false;
    }
}
