package org.maildeck.matchers;

import java.util.Collection;
import java.util.List;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMatcher;

/**
 * All recipients of a mail with an attachment the banned-file rules forbid (names, MIME types,
 * also inside zip archives; see contentfilter.properties), as the content filter found it.
 */
public class HasBannedAttachment extends GenericMatcher {

    @Override
    public Collection<MailAddress> match(Mail mail) {
        return ScanAttributes.text(mail, ScanAttributes.BANNED).isPresent() ? mail.getRecipients() : List.of();
    }
}
