package org.maildeck.matchers;

import java.util.Collection;
import java.util.List;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMatcher;

/** All recipients of a mail in which the content filter found a virus. */
public class IsInfected extends GenericMatcher {

    @Override
    public Collection<MailAddress> match(Mail mail) {
        return ScanAttributes.text(mail, ScanAttributes.VIRUS).isPresent() ? mail.getRecipients() : List.of();
    }
}
