package org.maildeck.maildir.james;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.james.core.Username;
import org.apache.james.mailbox.MailboxPathLocker;
import org.apache.james.mailbox.MailboxPathLocker.LockType;
import org.apache.james.mailbox.model.MailboxPath;
import org.apache.james.mailbox.store.JVMMailboxPathLocker;
import org.junit.jupiter.api.Test;

class SharedSavesLockerTest {

    private static final MailboxPath INBOX = MailboxPath.inbox(Username.of("alice@example.com"));

    private final JVMMailboxPathLocker mailboxManagerLocker = new JVMMailboxPathLocker();
    private final MailboxPathLocker saves = new SharedSavesLocker(mailboxManagerLocker);

    /** Runs {@code execution} in another thread, holding the path until {@code release} opens. */
    private CompletableFuture<Void> holdInAnotherThread(MailboxPathLocker locker, LockType type, CountDownLatch held, CountDownLatch release) {
        return CompletableFuture.runAsync(() -> {
            try {
                locker.executeWithLock(INBOX, () -> {
                    held.countDown();
                    awaitQuietly(release);
                    return null;
                }, type);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, runnable -> new Thread(runnable).start());
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A save as James's message manager asks for it: the exclusive lock. */
    private CompletableFuture<String> saveInAnotherThread() {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return saves.executeWithLock(INBOX, () -> "saved", LockType.Write);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void twoSavesIntoOneMailboxRunAtTheSameTime() throws Exception {
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> first = holdInAnotherThread(saves, LockType.Write, held, release);
        assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<String> second = saveInAnotherThread();

        assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo("saved");
        release.countDown();
        first.get(10, TimeUnit.SECONDS);
    }

    @Test
    void aSaveWaitsWhileTheMailboxManagerHoldsTheMailboxExclusively() throws Exception {
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> renaming = holdInAnotherThread(mailboxManagerLocker, LockType.Write, held, release);
        assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<String> save = saveInAnotherThread();

        Thread.sleep(200);
        assertThat(save).isNotDone();
        release.countDown();
        assertThat(save.get(10, TimeUnit.SECONDS)).isEqualTo("saved");
        renaming.get(10, TimeUnit.SECONDS);
    }
}
