package org.maildeck.matchers;

import org.maildeck.mailets.Category;

/** All recipients of a mail in which the content filter found a virus. */
public class IsInfected extends ScanFindingMatcher {

    public IsInfected() {
        super(Category.VIRUS);
    }
}
