package org.maildeck.assembly.mailbox;

import org.apache.james.core.Username;
import org.apache.james.mailbox.MessageUid;
import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.indexer.ReIndexer;
import org.apache.james.mailbox.indexer.ReIndexingExecutionFailures;
import org.apache.james.mailbox.model.MailboxId;
import org.apache.james.mailbox.model.MailboxPath;
import org.apache.james.task.Task;

/**
 * James's re-indexing operations (JMX, WebAdmin) rebuild a search index from the messages. The
 * Maildir store searches the messages themselves and rebuilds its folder indexes on its own, so
 * each operation answers that there is nothing to rebuild.
 */
public final class NoSearchIndexToRebuild implements ReIndexer {

    private static MailboxException nothingToRebuild() {
        return new MailboxException("the Maildir store has no search index to rebuild: SEARCH reads the messages, "
            + "and folder indexes are rebuilt from the directories when they are out of date");
    }

    @Override
    public Task reIndex(Username username, RunningOptions runningOptions) throws MailboxException {
        throw nothingToRebuild();
    }

    @Override
    public Task reIndex(MailboxPath path, RunningOptions runningOptions) throws MailboxException {
        throw nothingToRebuild();
    }

    @Override
    public Task reIndex(MailboxId mailboxId, RunningOptions runningOptions) throws MailboxException {
        throw nothingToRebuild();
    }

    @Override
    public Task reIndex(RunningOptions runningOptions) throws MailboxException {
        throw nothingToRebuild();
    }

    @Override
    public Task reIndex(MailboxPath path, MessageUid uid) throws MailboxException {
        throw nothingToRebuild();
    }

    @Override
    public Task reIndex(MailboxId mailboxId, MessageUid uid) throws MailboxException {
        throw nothingToRebuild();
    }

    @Override
    public Task reIndex(ReIndexingExecutionFailures previousFailures, RunningOptions runningOptions) throws MailboxException {
        throw nothingToRebuild();
    }
}
