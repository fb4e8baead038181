package org.maildeck.imap.append;

import org.apache.james.modules.protocols.ImapPackage;
import org.apache.james.utils.ClassName;

import com.google.common.collect.ImmutableList;

/**
 * MULTIAPPEND's processor, which answers {@link MultiAppendRequest}s and announces the capability.
 * Its parser is no part of the package: APPEND has James's parser there already, and the decoder
 * of ListOfPatternsModule gives APPEND to {@link MultiAppendCommandParser} instead.
 */
public final class MultiAppendPackage extends ImapPackage.Impl {
    public MultiAppendPackage() {
        super(ImmutableList.of(new ClassName(MultiAppendProcessor.class.getName())), ImmutableList.of(), ImmutableList.of());
    }
}
