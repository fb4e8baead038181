package org.maildeck.maildir;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import javax.mail.Flags;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.maildeck.durability.Durability;

/**
 * Group commit of concurrent saves into one folder. Dovecot holding the uidlist's dotlock keeps
 * the first delivery (the leader of the first batch) waiting, so that the deliveries started
 * meanwhile queue up behind it and form the second batch, whatever the timing.
 */
class FolderSaveTest {

    private static final Date INTERNAL_DATE = Date.from(Instant.parse("2020-01-02T03:04:05Z"));
    private static final String MESSAGE = "From: a@example.com\nSubject: batch\n\nHello\n";

    @TempDir
    Path temp;

    private Path dir;
    private final AtomicInteger fsyncs = new AtomicInteger();
    private MaildirFolder folder;
    private final List<Thread> threads = new ArrayList<>();

    @BeforeEach
    void createLoadedFolder() throws IOException {
        dir = temp.resolve("Maildir");
        Files.createDirectories(dir);
        folder = new MaildirFolder(dir, "testhost", new Durability(took -> fsyncs.incrementAndGet()));
        folder.create(1795243169L);
        folder.count();
        fsyncs.set(0);
    }

    @AfterEach
    void releaseTheUidList() throws Exception {
        Files.deleteIfExists(uidListLock());
        for (Thread thread : threads) {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        }
    }

    private Path uidListLock() {
        return dir.resolve("dovecot-uidlist.lock");
    }

    /** Dovecot on another host takes the uidlist's dotlock. */
    private void dovecotLocksTheUidList() throws IOException {
        Files.writeString(uidListLock(), "4242:dovecot-host", UTF_8);
    }

    private record Delivery(Thread thread, CompletableFuture<IndexEntry> stored) {
        IndexEntry entry() throws Exception {
            return stored.get(10, TimeUnit.SECONDS);
        }
    }

    private Delivery start(Optional<String> key, Flags flags) {
        CompletableFuture<IndexEntry> stored = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                stored.complete(folder.deliver(new ByteArrayInputStream(MESSAGE.getBytes(UTF_8)), flags, INTERNAL_DATE, key));
            } catch (Throwable failure) {
                stored.completeExceptionally(failure);
            }
        });
        threads.add(thread);
        thread.start();
        return new Delivery(thread, stored);
    }

    private Delivery start() {
        return start(Optional.empty(), new Flags());
    }

    /** Waits until the thread is parked in {@code state}: the leader polling the dotlock, or a follower queued. */
    private static void awaitState(Delivery delivery, Thread.State state) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (delivery.thread().getState() != state) {
            assertThat(System.nanoTime()).as("%s still %s", delivery.thread(), delivery.thread().getState()).isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    private Delivery leaderWaitingForDovecot() throws Exception {
        dovecotLocksTheUidList();
        Delivery leader = start();
        awaitState(leader, Thread.State.TIMED_WAITING);
        return leader;
    }

    private List<Delivery> queuedBehind(int count, Optional<String> key, Flags flags) throws InterruptedException {
        List<Delivery> followers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            followers.add(start(key, flags));
        }
        for (Delivery follower : followers) {
            awaitState(follower, Thread.State.WAITING);
        }
        return followers;
    }

    private static List<String> list(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(path -> path.getFileName().toString()).toList();
        }
    }

    @Test
    void deliveriesQueuedMeanwhileShareOneDirectoryFsyncAndOneUidListFsync() throws Exception {
        Delivery leader = leaderWaitingForDovecot();
        List<Delivery> followers = queuedBehind(3, Optional.empty(), new Flags());

        Files.delete(uidListLock());
        leader.entry();
        for (Delivery follower : followers) {
            follower.entry();
        }

        // Four files in tmp/; then new/ and the uidlist once for the leader, once for the three others.
        assertThat(fsyncs).hasValue(4 + 2 + 2);
        assertThat(folder.count()).isEqualTo(4);
    }

    @Test
    void aQueuedDeliveryReturnsOnlyOnceItsBatchIsCommitted() throws Exception {
        leaderWaitingForDovecot();
        Delivery follower = queuedBehind(1, Optional.empty(), new Flags()).get(0);

        assertThat(follower.stored()).isNotDone();
        assertThat(list(dir.resolve("new"))).isEmpty();

        Files.delete(uidListLock());
        IndexEntry stored = follower.entry();
        assertThat(Files.readAllLines(dir.resolve("dovecot-uidlist"), UTF_8)).contains(stored.uid() + " :" + stored.base());
    }

    @Test
    void theSameDeliveryTwiceInOneBatchIsStoredOnce() throws Exception {
        leaderWaitingForDovecot();
        List<Delivery> twice = queuedBehind(2, Optional.of("mail-1/alice/INBOX"), new Flags());

        Files.delete(uidListLock());

        assertThat(twice.get(0).entry().uid()).isEqualTo(twice.get(1).entry().uid());
        assertThat(list(dir.resolve("new"))).hasSize(2);
        assertThat(list(dir.resolve("tmp"))).isEmpty();
    }

    @Test
    void aMessageRefusedInABatchFailsAloneAndLeavesNothingInTmp() throws Exception {
        StringBuilder keywordsFile = new StringBuilder();
        for (int i = 0; i < 26; i++) {
            keywordsFile.append(i).append(" kw").append(i).append('\n');
        }
        Files.writeString(dir.resolve("dovecot-keywords"), keywordsFile, UTF_8);
        leaderWaitingForDovecot();
        Delivery refused = queuedBehind(1, Optional.empty(), new Flags("one-too-many")).get(0);
        Delivery accepted = queuedBehind(1, Optional.empty(), new Flags()).get(0);

        Files.delete(uidListLock());

        assertThat(accepted.entry().uid()).isPositive();
        ExecutionException failure = org.assertj.core.api.Assertions.catchThrowableOfType(refused::entry, ExecutionException.class);
        assertThat(failure).hasCauseInstanceOf(DovecotKeywords.KeywordLimitException.class);
        assertThat(list(dir.resolve("tmp"))).isEmpty();
    }

    @Test
    void aMessageLongerThanItsStreamSaysIsStoredWhole() throws Exception {
        byte[] large = ("From: a@example.com\nSubject: large\n\n" + "x".repeat(200_000) + "\n").getBytes(UTF_8);
        // available() tells only what is buffered, as a BufferedInputStream does: a small buffer is chosen
        InputStream understated = new FilterInputStream(new ByteArrayInputStream(large)) {
            @Override
            public int available() {
                return 100;
            }
        };

        IndexEntry stored = folder.deliver(understated, new Flags(), INTERNAL_DATE, Optional.empty());

        assertThat(Files.readAllBytes(folder.fileOf(stored.uid()))).isEqualTo(large);
    }

    @Test
    void theWriteBufferFitsAMessageOfKnownSizeAndIsBoundedOtherwise() throws IOException {
        assertThat(FolderSave.bufferSize(new ByteArrayInputStream(new byte[4000]))).isEqualTo(FolderSave.MIN_BUFFER);
        assertThat(FolderSave.bufferSize(new ByteArrayInputStream(new byte[20_000]))).isEqualTo(20_001);
        assertThat(FolderSave.bufferSize(new ByteArrayInputStream(new byte[1_000_000]))).isEqualTo(FolderSave.MAX_BUFFER);
        assertThat(FolderSave.bufferSize(InputStream.nullInputStream())).isEqualTo(FolderSave.MAX_BUFFER);
    }
}
