package org.maildeck.matchers;

import org.maildeck.mailets.Category;

/**
 * All recipients of a mail the virus scanner did not look at although it works (larger than
 * clamd takes): it must not be delivered as if it had been scanned.
 */
public class IsUnchecked extends ScanFindingMatcher {

    public IsUnchecked() {
        super(Category.UNCHECKED);
    }
}
