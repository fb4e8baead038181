package org.maildeck.maildir;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Leader/follower batching: each thread submits its request and waits; the first thread to find
 * no batch in progress becomes the leader, takes every request queued so far and commits them in
 * one go, then wakes the others. Requests that arrive while a batch is being committed form the
 * next batch, led by one of their own threads. Nobody returns before the batch holding its request
 * has been committed (or failed).
 */
final class GroupCommit<T, R> {

    /** Commits a batch: returns one outcome per request, in the order given. */
    @FunctionalInterface
    interface Committer<T, R> {
        List<Outcome<R>> commit(List<T> batch) throws IOException;
    }

    /** What became of one request: its result, or why it failed. */
    record Outcome<R>(R result, IOException failure) {
        static <R> Outcome<R> of(R result) {
            return new Outcome<>(result, null);
        }

        static <R> Outcome<R> failed(IOException failure) {
            return new Outcome<>(null, failure);
        }

        R get() throws IOException {
            if (failure != null) {
                // The leader's exception itself, so that callers still see its type (a keyword
                // limit, a vanished file); its stack is the leader's.
                throw failure;
            }
            return result;
        }
    }

    private static final class Pending<T, R> {
        private final T request;
        private Outcome<R> outcome;

        Pending(T request) {
            this.request = request;
        }
    }

    private final Committer<T, R> committer;
    private final List<Pending<T, R>> queued = new ArrayList<>();
    private boolean committing;

    GroupCommit(Committer<T, R> committer) {
        this.committer = committer;
    }

    R submit(T request) throws IOException {
        Pending<T, R> mine = new Pending<>(request);
        boolean interrupted = false;
        try {
            List<Pending<T, R>> batch;
            synchronized (this) {
                queued.add(mine);
                while (committing && mine.outcome == null) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        interrupted = true;
                        if (queued.remove(mine)) {
                            throw new InterruptedIOException("interrupted while waiting for a batch to be committed");
                        }
                        // Already in the batch being committed: its outcome is on its way.
                    }
                }
                if (mine.outcome != null) {
                    return mine.outcome.get();
                }
                committing = true;
                batch = List.copyOf(queued);
                queued.clear();
            }
            // The interrupt is restored only afterwards: it would close the batch's file channels.
            List<Outcome<R>> outcomes = commitAll(batch);
            synchronized (this) {
                for (int i = 0; i < batch.size(); i++) {
                    batch.get(i).outcome = outcomes.get(i);
                }
                committing = false;
                notifyAll();
            }
            return mine.outcome.get();
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private List<Outcome<R>> commitAll(List<Pending<T, R>> batch) {
        try {
            List<Outcome<R>> outcomes = committer.commit(batch.stream().map(pending -> pending.request).toList());
            if (outcomes.size() != batch.size()) {
                throw new IllegalStateException(outcomes.size() + " outcomes for " + batch.size() + " requests");
            }
            return outcomes;
        } catch (IOException e) {
            return batch.stream().map(pending -> Outcome.<R>failed(e)).toList();
        } catch (RuntimeException | Error e) {
            IOException failure = new IOException("batch failed: " + e, e);
            return batch.stream().map(pending -> Outcome.<R>failed(failure)).toList();
        }
    }
}
