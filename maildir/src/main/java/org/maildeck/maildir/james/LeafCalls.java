package org.maildeck.maildir.james;

import java.util.concurrent.Callable;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The threads of the store's reactive calls that block (a folder listed, a file read, a quota
 * looked up): leaf work, which never waits for another reactive call.
 *
 * <p>Not Reactor's shared {@code boundedElastic} pool. James runs work there that waits,
 * blocking, for these calls (StoreMailboxManager's synchronous methods block on them, Maildeck's
 * MULTIAPPEND calls those), and when every thread of that pool is busy (under load, threads
 * waiting for a folder behind slow fsyncs) the pool queues a new task behind a busy thread: behind
 * the very thread waiting for it, sometimes, which then waited for good, and so did the IMAP
 * command it ran for. No task of this pool waits for a task of this pool, so none is ever queued
 * behind its own waiter.
 */
public final class LeafCalls {

    private static final Scheduler THREADS = Schedulers.newBoundedElastic(Schedulers.DEFAULT_BOUNDED_ELASTIC_SIZE,
        Schedulers.DEFAULT_BOUNDED_ELASTIC_QUEUESIZE, "maildir-leaf", 60, true);

    private LeafCalls() {
    }

    /** {@code call}, run on a thread of this pool when subscribed to. */
    public static <T> Mono<T> of(Callable<T> call) {
        return Mono.fromCallable(call).subscribeOn(THREADS);
    }
}
