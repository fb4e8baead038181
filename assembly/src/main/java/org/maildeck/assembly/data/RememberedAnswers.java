package org.maildeck.assembly.data;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Answers to a question about a key, read from Derby and remembered until the data behind
 * them changes ({@link #forget()}, called after each change).
 *
 * <p>An answer read while a change commits must not be remembered after it: the caller takes
 * the {@link #generation()} before it reads, and {@link #remember} drops the answer if a change
 * came in between. Keys that were never there are remembered too (relay attempts, unknown
 * recipients, addresses without a rewrite), so the memory is emptied when it grows past a bound.
 */
final class RememberedAnswers<K, V> {

    private final int bound;
    private final Map<K, V> answers = new ConcurrentHashMap<>();
    private long generation;

    RememberedAnswers(int bound) {
        this.bound = bound;
    }

    Optional<V> get(K key) {
        return Optional.ofNullable(answers.get(key));
    }

    synchronized long generation() {
        return generation;
    }

    synchronized void remember(K key, V answer, long readAt) {
        if (readAt != generation) {
            return;
        }
        if (answers.size() >= bound) {
            answers.clear();
        }
        answers.put(key, answer);
    }

    synchronized void forget() {
        generation++;
        answers.clear();
    }
}
