package org.maildeck.mailets;

import javax.mail.MessagingException;

import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;

/**
 * Gives the mail its message read again from the bytes it was accepted with, under its headers as
 * the pipeline has changed them ({@link ContentBytes#rereadIfHeadersChanged}), before a James
 * mailet copies it. James copies a message whose headers changed by saving its changes first,
 * which parses the MIME structure again: RecipientRewriteTable's copy for a forward to a remote
 * address failed on a multipart whose boundary is never used, and RecipientRewriteTable drops a
 * copy it cannot make with a warning ("Error forwarding mail to"), so the forward was lost.
 */
public class ReadAsAccepted extends GenericMailet {

    @Override
    public void service(Mail mail) throws MessagingException {
        ContentBytes.rereadIfHeadersChanged(mail);
    }

    @Override
    public String getMailetInfo() {
        return "Maildeck ReadAsAccepted";
    }
}
