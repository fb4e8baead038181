package org.maildeck.contentfilter;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs each scanner call on a bounded pool of kept threads, the caller waiting for it at most the
 * scanner's time limit ({@link Scanner#timeout()}); past it the caller gets a
 * {@link TimeoutException}, which the scanner's circuit breaker counts as a failure, and the call
 * is left to end on its client's own I/O time limits (not interrupted, as before: the clients'
 * selector loops would spin on an interrupted thread until then).
 *
 * <p>Why not the circuit breaker's own time limit: Camel's Resilience4j processor runs every call
 * through {@code CompletableFuture.supplyAsync} without an executor, and on a machine of two CPUs
 * or fewer the JDK then starts a new thread per call (two per scanned message). Giving it Camel's
 * {@code timeoutExecutorService} reused threads, but that processor then runs its pooled task, a
 * copy of the exchange and its unit of work on the pool's thread, and with it one exchange in a
 * few thousand never completed (the cause, inside Camel, was not found). Here no Camel object
 * crosses threads: the route's processor waits on the calling thread, and the pool's
 * thread only runs {@link Scanner#scan}.</p>
 *
 * <p>A call goes to an idle thread of the pool, or to a new one while there are fewer than
 * {@value #MAX_THREADS} (more than the spooler's 20 threads times three scanners); a thread idle
 * for a minute ends. With every thread busy (calls stuck on a scanner that does not answer) the
 * caller makes the call itself, without the time limit but within its client's I/O limits and the
 * route's deadline ({@link ScanRoute}): the mail is scanned late rather than refused a scan.</p>
 */
final class TimeLimitedCalls implements AutoCloseable {

    static final int MAX_THREADS = 64;

    /** One scanner call. */
    @FunctionalInterface
    interface Call {
        ScannerVerdict run() throws Exception;
    }

    private final ThreadPoolExecutor threads;

    TimeLimitedCalls(String name) {
        threads = new ThreadPoolExecutor(0, MAX_THREADS, 1, TimeUnit.MINUTES, new SynchronousQueue<>(), daemons(name),
            new ThreadPoolExecutor.CallerRunsPolicy());
    }

    private static ThreadFactory daemons(String name) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** The call's verdict, or its exception as it threw it; a {@link TimeoutException} past {@code limitMillis}. */
    ScannerVerdict call(Call call, long limitMillis) throws Exception {
        Future<ScannerVerdict> answer = threads.submit(call::run);
        try {
            return answer.get(limitMillis, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception failure) {
                throw failure;
            }
            throw e;
        } catch (TimeoutException | InterruptedException e) {
            answer.cancel(false);
            throw e;
        }
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }
}
