package org.maildeck.imap;

import org.apache.james.imap.processor.CopyProcessor;
import org.apache.james.imap.processor.ExamineProcessor;
import org.apache.james.imap.processor.MoveProcessor;
import org.apache.james.imap.processor.SearchProcessor;
import org.apache.james.imap.processor.SelectProcessor;

import com.google.inject.AbstractModule;
import com.google.inject.Scopes;

/**
 * Overrides James's IMAP processors where their answers break an RFC that clients rely on: each
 * replacement is a subclass that says which clause and why. James's IMAP module creates its
 * processors through Guice, so binding a processor class to a subclass is enough.
 */
public class ImapComplianceModule extends AbstractModule {

    @Override
    protected void configure() {
        bind(RecentClaimingSelectProcessor.class).in(Scopes.SINGLETON);
        bind(SelectProcessor.class).to(RecentClaimingSelectProcessor.class);
        bind(RecentClaims.class).in(Scopes.SINGLETON);
        bind(ExamineProcessor.class).to(RecentClaimingExamineProcessor.class);
        bind(MoveProcessor.class).to(CopyUidFirstMoveProcessor.class);
        bind(CopyProcessor.class).to(ExpungeIssuedCopyProcessor.class);
        bind(SearchProcessor.class).to(ReturnedModSeqSearchProcessor.class);
    }
}
