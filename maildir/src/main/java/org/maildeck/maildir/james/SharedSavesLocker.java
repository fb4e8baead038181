package org.maildeck.maildir.james;

import org.apache.james.mailbox.MailboxPathLocker;
import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.model.MailboxPath;
import org.reactivestreams.Publisher;

/**
 * The path locker of our message managers, which James takes only around appends, copies and
 * moves into a mailbox: it takes the mailbox manager's lock shared instead of exclusive.
 * James's exclusive lock would let one save into a folder at a time, so the folder's
 * {@link org.maildeck.maildir.MaildirFolder group commit} would never see two; the folder orders
 * its saves itself. Shared, the lock still keeps saves out while the mailbox manager creates or
 * renames the mailbox (exclusively). Saves finishing out of UID order is fine for James's IMAP
 * sessions, which insert a new UID where it belongs.
 */
final class SharedSavesLocker implements MailboxPathLocker {

    private final MailboxPathLocker mailboxManagerLocker;

    SharedSavesLocker(MailboxPathLocker mailboxManagerLocker) {
        this.mailboxManagerLocker = mailboxManagerLocker;
    }

    @Override
    public <T> T executeWithLock(MailboxPath path, LockAwareExecution<T> execution, LockType lockType) throws MailboxException {
        return mailboxManagerLocker.executeWithLock(path, execution, LockType.Read);
    }

    @Override
    public <T> Publisher<T> executeReactiveWithLockReactive(MailboxPath path, Publisher<T> execution, LockType lockType) {
        return mailboxManagerLocker.executeReactiveWithLockReactive(path, execution, LockType.Read);
    }
}
