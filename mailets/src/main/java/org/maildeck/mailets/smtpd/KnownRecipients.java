package org.maildeck.mailets.smtpd;

import javax.inject.Inject;

import org.apache.james.core.MailAddress;
import org.apache.james.domainlist.api.DomainList;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.rrt.api.RecipientRewriteTable;
import org.apache.james.rrt.api.RecipientRewriteTableException;
import org.apache.james.smtpserver.fastfail.ValidRcptHandler;
import org.apache.james.user.api.UsersRepository;
import org.apache.james.user.api.UsersRepositoryException;
import org.maildeck.mailets.PostmasterAddress;

/**
 * James's check of local recipients at RCPT ({@code 550 5.1.1 Unknown user} for an address that
 * is neither a user nor an alias; Postfix's {@code smtpd_reject_unlisted_recipient}), except that
 * {@code postmaster@} every local domain, and the bare {@code postmaster} (which James completes
 * with the default domain), is always taken, as RFC 5321 4.5.1 requires: the pipeline's
 * {@code Postmaster} mailet finds it an address. Bound in place of {@link ValidRcptHandler}, so
 * that the SMTP listeners naming James's class and LMTP's built-in command set use it too. Other
 * domains' postmasters are no exception: that would be relaying.
 */
public class KnownRecipients extends ValidRcptHandler {

    @Inject
    public KnownRecipients(UsersRepository users, RecipientRewriteTable recipientRewriteTable, DomainList domains) {
        super(users, recipientRewriteTable, domains);
    }

    @Override
    protected boolean isValidRecipient(SMTPSession session, MailAddress recipient) throws UsersRepositoryException, RecipientRewriteTableException {
        // the domain is local: AbstractValidRcptHandler asks only for local domains
        return recipient.getLocalPart().equalsIgnoreCase(PostmasterAddress.LOCAL_PART) || super.isValidRecipient(session, recipient);
    }
}
