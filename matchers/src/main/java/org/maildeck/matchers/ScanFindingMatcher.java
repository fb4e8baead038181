package org.maildeck.matchers;

import java.util.Collection;
import java.util.List;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMatcher;
import org.maildeck.mailets.Category;

/** All recipients of a mail on which the content filter recorded one kind of finding. */
public abstract class ScanFindingMatcher extends GenericMatcher {

    private final Category category;

    protected ScanFindingMatcher(Category category) {
        this.category = category;
    }

    @Override
    public Collection<MailAddress> match(Mail mail) {
        return category.isFoundIn(mail) ? mail.getRecipients() : List.of();
    }
}
