package org.maildeck.mailets;

import javax.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.james.core.Username;
import org.apache.mailet.Mail;
import org.apache.mailet.StorageDirective;
import org.apache.mailet.base.GenericMailet;

/**
 * Delivers spam into the recipient's Junk folder (matcher {@code SpamLevel=tag2}), the folder
 * {@code MaildirDelivery} then stores it in. A folder the recipient's own Sieve script chose
 * (a {@code fileinto} other than INBOX) is left as it is. Parameter {@code folder} ({@code Junk}).
 */
public class JunkFolder extends GenericMailet {

    private static final String INBOX = "INBOX";
    private String folder;

    @Override
    public void init() {
        folder = getInitParameter("folder", "Junk");
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        for (MailAddress recipient : mail.getRecipients()) {
            Username user = Username.fromMailAddress(recipient);
            boolean chosenBySieve = StorageDirective.fromMail(user, mail).getTargetFolder()
                .filter(target -> !target.equalsIgnoreCase(INBOX)).isPresent();
            if (!chosenBySieve) {
                StorageDirective.builder().targetFolder(folder).build().encodeAsAttributes(user).forEach(mail::setAttribute);
            }
        }
    }
}
