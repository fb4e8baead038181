package org.maildeck.matchers;

/** All recipients of a mail in which the content filter found a virus. */
public class IsInfected extends ScanFindingMatcher {

    public IsInfected() {
        super(ScanAttributes.VIRUS);
    }
}
