package org.maildeck.imap.context;

import java.util.stream.Stream;

import org.apache.james.imap.decode.parser.SearchCommandParser;
import org.apache.james.modules.protocols.ImapPackage;
import org.apache.james.utils.ClassName;

import com.google.common.collect.ImmutableList;
import com.google.inject.AbstractModule;

/**
 * CONTEXT=SEARCH (RFC 5267 §4) in James's IMAP: SEARCH read by {@link ContextSearchCommandParser}
 * (bound in place of James's parser), and the {@link Package} of its processors, CANCELUPDATE's
 * parser and the ESEARCH encoder, which SortThreadModule adds to James's. The updates go out
 * through {@link ContextUpdates}, in the chain of ImapLoginThrottleModule.
 */
public class ContextSearchModule extends AbstractModule {

    @Override
    protected void configure() {
        bind(SearchCommandParser.class).to(ContextSearchCommandParser.class);
    }

    /** The processors, parsers and encoders of CONTEXT=SEARCH. */
    public static final class Package extends ImapPackage.Impl {
        public Package() {
            super(names(ContextSearchProcessor.class, CancelUpdateProcessor.class),
                names(CancelUpdateCommandParser.class),
                names(ContextSearchResponseEncoder.class));
        }

        private static ImmutableList<ClassName> names(Class<?>... classes) {
            return Stream.of(classes).map(type -> new ClassName(type.getName())).collect(ImmutableList.toImmutableList());
        }
    }
}
