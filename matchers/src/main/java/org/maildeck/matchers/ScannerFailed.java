package org.maildeck.matchers;

import java.util.Collection;
import java.util.List;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMatcher;
import org.maildeck.mailets.ScanAttributes;

/**
 * All recipients of a mail the content filter could not judge (a scanner down, too slow, or its
 * circuit open) under the {@code tempfail} policy: the mail waits and is scanned again later.
 */
public class ScannerFailed extends GenericMatcher {

    @Override
    public Collection<MailAddress> match(Mail mail) {
        return ScanAttributes.failure(mail).isPresent() ? mail.getRecipients() : List.of();
    }
}
