package org.maildeck.matchers;

import java.util.Collection;
import java.util.List;

import org.apache.james.core.MailAddress;
import org.apache.mailet.AttributeName;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMatcher;

/** All recipients of a mail on which the content filter recorded one kind of finding. */
public abstract class ScanFindingMatcher extends GenericMatcher {

    private final AttributeName finding;

    protected ScanFindingMatcher(AttributeName finding) {
        this.finding = finding;
    }

    @Override
    public Collection<MailAddress> match(Mail mail) {
        return ScanAttributes.text(mail, finding).isPresent() ? mail.getRecipients() : List.of();
    }
}
