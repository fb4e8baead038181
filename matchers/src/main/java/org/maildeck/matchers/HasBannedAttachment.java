package org.maildeck.matchers;

import org.maildeck.mailets.Category;

/**
 * All recipients of a mail with an attachment the banned-file rules forbid (names, MIME types,
 * also inside zip archives; see contentfilter.properties), as the content filter found it.
 */
public class HasBannedAttachment extends ScanFindingMatcher {

    public HasBannedAttachment() {
        super(Category.BANNED);
    }
}
