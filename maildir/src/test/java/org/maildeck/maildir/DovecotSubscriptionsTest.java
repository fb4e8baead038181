package org.maildeck.maildir;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.maildeck.durability.Durability;

class DovecotSubscriptionsTest {

    /** Dovecot 2.3's subscriptions file (see dovecot-ondisk.md). */
    private static final String DOVECOT_FILE = "V\t2\n\nSent\na\tb\nEntw&APw-rfe\nwith space\nINBOX\tchild\nArchive\n";

    @TempDir
    Path maildir;

    private Path file() {
        return maildir.resolve("subscriptions");
    }

    @Test
    void writesDovecotsVersionTwoFormat() throws IOException {
        DovecotSubscriptions subscriptions = new DovecotSubscriptions(maildir, Durability.UNWATCHED);

        for (String name : new String[] {"Sent", "a.b", "Entwürfe", "with space", "INBOX.child", "Archive"}) {
            subscriptions.add(name);
        }

        assertThat(Files.readString(file(), UTF_8)).isEqualTo(DOVECOT_FILE);
        assertThat(maildir.resolve("subscriptions.lock")).doesNotExist();
    }

    @Test
    void readsDovecotsVersionTwoFormat() throws IOException {
        Files.writeString(file(), DOVECOT_FILE, UTF_8);

        assertThat(new DovecotSubscriptions(maildir, Durability.UNWATCHED).read())
            .containsExactly("Sent", "a.b", "Entwürfe", "with space", "INBOX.child", "Archive");
    }

    @Test
    void readsTheOldFormatWithoutHeader() throws IOException {
        Files.writeString(file(), "Sent\nfoo.bar\nEntw&APw-rfe\n", UTF_8);

        assertThat(new DovecotSubscriptions(maildir, Durability.UNWATCHED).read()).containsExactly("Sent", "foo.bar", "Entwürfe");
    }

    @Test
    void nameThatIsNotModifiedUtf7IsReadAsItIs() throws IOException {
        Files.writeString(file(), "V\t2\n\nAT&T\n", UTF_8);

        assertThat(new DovecotSubscriptions(maildir, Durability.UNWATCHED).read()).containsExactly("AT&T");
    }

    @Test
    void missingFileMeansNoSubscriptions() throws IOException {
        assertThat(new DovecotSubscriptions(maildir, Durability.UNWATCHED).read()).isEmpty();
    }

    @Test
    void addAppendsInSubscriptionOrderAfterDovecotsNames() throws IOException {
        Files.writeString(file(), "V\t2\n\nSent\n", UTF_8);

        new DovecotSubscriptions(maildir, Durability.UNWATCHED).add("Archive.2024");

        assertThat(Files.readString(file(), UTF_8)).isEqualTo("V\t2\n\nSent\nArchive\t2024\n");
    }

    @Test
    void addingAnExistingSubscriptionLeavesTheFileAlone() throws IOException {
        Files.writeString(file(), "V\t2\n\nSent\n", UTF_8);
        Object inode = Files.readAttributes(file(), java.nio.file.attribute.BasicFileAttributes.class).fileKey();

        new DovecotSubscriptions(maildir, Durability.UNWATCHED).add("Sent");

        assertThat(Files.readAttributes(file(), java.nio.file.attribute.BasicFileAttributes.class).fileKey()).isEqualTo(inode);
    }

    @Test
    void removeDropsOnlyThatName() throws IOException {
        Files.writeString(file(), DOVECOT_FILE, UTF_8);

        new DovecotSubscriptions(maildir, Durability.UNWATCHED).remove("a.b");

        assertThat(Files.readString(file(), UTF_8))
            .isEqualTo("V\t2\n\nSent\nEntw&APw-rfe\nwith space\nINBOX\tchild\nArchive\n");
    }

    @Test
    void oldFormatIsRewrittenInTheNewFormat() throws IOException {
        Files.writeString(file(), "Sent\nfoo.bar\n", UTF_8);

        new DovecotSubscriptions(maildir, Durability.UNWATCHED).add("Trash");

        assertThat(Files.readString(file(), UTF_8)).isEqualTo("V\t2\n\nSent\nfoo\tbar\nTrash\n");
    }

    @Test
    void subscriptionDovecotWritesWhileWeWaitForTheLockIsKept() throws Exception {
        Files.writeString(file(), "V\t2\n\nSent\n", UTF_8);
        Path lock = maildir.resolve("subscriptions.lock");
        Files.writeString(lock, "99999:otherhost", US_ASCII); // Dovecot holds the lock
        DovecotSubscriptions subscriptions = new DovecotSubscriptions(maildir, Durability.UNWATCHED);

        AtomicReference<Thread> adder = new AtomicReference<>();
        CompletableFuture<Void> added = CompletableFuture.runAsync(() -> {
            adder.set(Thread.currentThread());
            try {
                subscriptions.add("Mine");
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        // Wait (not a timing assertion) until add() is backing off inside DotLock.acquire.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while ((adder.get() == null || adder.get().getState() != Thread.State.TIMED_WAITING) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(adder.get().getState()).isEqualTo(Thread.State.TIMED_WAITING);
        // Dovecot, holding the lock, subscribes "Theirs" and releases the lock.
        Path theirs = maildir.resolve("subscriptions.dovecot-tmp");
        Files.writeString(theirs, "V\t2\n\nSent\nTheirs\n", UTF_8);
        Files.move(theirs, file(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Files.delete(lock);

        added.get(30, TimeUnit.SECONDS);

        assertThat(subscriptions.read()).contains("Sent", "Theirs", "Mine");
    }
}
