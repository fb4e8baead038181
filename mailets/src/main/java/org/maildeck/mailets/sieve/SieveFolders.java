package org.maildeck.mailets.sieve;

import java.util.ArrayList;
import java.util.List;

import org.apache.james.core.MailAddress;
import org.apache.james.core.Username;
import org.apache.mailet.Mail;
import org.apache.mailet.StorageDirective;

/**
 * Where one script run keeps the recipient's copies: {@code keep} (explicit or implicit) and
 * each {@code fileinto}, collected while jSieve executes the actions and put on the mail at the
 * end of the run. A run that only files names its first folder in the recipient's
 * {@code StorageDirective} and the others as {@link FolderCopies}; a run that also keeps leaves
 * the directive's folder (INBOX, or the Junk folder of the spam filter) and adds every filed
 * folder as a copy. A run that kept or filed delivers to the recipient even when a
 * {@code redirect} or {@code discard} before took the recipient off the mail (RFC 5228 4.3:
 * {@code discard} only cancels the implicit keep).
 */
final class SieveFolders {

    private final List<String> filed = new ArrayList<>();
    private boolean kept;

    void keep() {
        kept = true;
    }

    void fileInto(String folder) {
        if (!filed.contains(folder)) {
            filed.add(folder);
        }
    }

    void applyTo(Mail mail, MailAddress recipient, Username user, SieveFlags flags) {
        if (!kept && filed.isEmpty()) {
            return;
        }
        if (!mail.getRecipients().contains(recipient)) {
            List<MailAddress> recipients = new ArrayList<>(mail.getRecipients());
            recipients.add(recipient);
            mail.setRecipients(recipients);
        }
        List<String> copies = filed;
        if (!kept) {
            StorageDirective.builder().targetFolder(filed.get(0)).build().encodeAsAttributes(user).forEach(mail::setAttribute);
            copies = filed.subList(1, filed.size());
        }
        FolderCopies.add(mail, user, copies);
        flags.applyTo(mail, user);
    }
}
