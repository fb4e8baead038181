package org.maildeck.assembly.data;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Answers to a question about a key, read from Derby and remembered until the data behind
 * them changes: {@link #answer} reads once and then remembers, {@link #forgetAfter} wraps each
 * change.
 *
 * <p>An answer read while a change commits must not be remembered after it: the generation,
 * taken before the read and bumped after each change, tells. Keys that were never there are
 * remembered too (relay attempts, unknown recipients, addresses without a rewrite), so the
 * memory is emptied when it grows past a bound.
 */
final class RememberedAnswers<K, V> {

    /** A read from the database. */
    interface Read<K, V, E extends Exception> {
        V read(K key) throws E;
    }

    /** A change to the database. */
    interface Change<E extends Exception> {
        void run() throws E;
    }

    private final int bound;
    private final Map<K, V> answers = new ConcurrentHashMap<>();
    private long generation;

    RememberedAnswers(int bound) {
        this.bound = bound;
    }

    /** The remembered answer for {@code key}, else {@code read}'s, remembered. */
    <E extends Exception> V answer(K key, Read<K, V, E> read) throws E {
        V known = answers.get(key);
        if (known != null) {
            return known;
        }
        long readAt = generation();
        V answer = read.read(key);
        remember(key, answer, readAt);
        return answer;
    }

    Optional<V> get(K key) {
        return Optional.ofNullable(answers.get(key));
    }

    synchronized long generation() {
        return generation;
    }

    /** Remembers {@code answer} unless a change came in since {@code readAt} (a {@link #generation()}). */
    synchronized void remember(K key, V answer, long readAt) {
        if (readAt != generation) {
            return;
        }
        if (answers.size() >= bound) {
            answers.clear();
        }
        answers.put(key, answer);
    }

    /** Runs {@code change}, then forgets everything, whether it succeeded or not. */
    <E extends Exception> void forgetAfter(Change<E> change) throws E {
        try {
            change.run();
        } finally {
            forget();
        }
    }

    /** Forgets the answers for the keys {@code which} accepts, after a change that concerns only them. */
    synchronized void forget(Predicate<K> which) {
        generation++;
        answers.keySet().removeIf(which);
    }

    /** Forgets everything; after a change that {@link #forgetAfter} cannot wrap. */
    synchronized void forget() {
        generation++;
        answers.clear();
    }
}
