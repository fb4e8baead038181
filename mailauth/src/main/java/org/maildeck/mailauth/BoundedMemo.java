package org.maildeck.mailauth;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The answers of a pure function for the keys it was last asked about, at most {@code capacity}
 * of them: the checks meet the same few sender domains and SPF records message after message, and
 * working out an answer again (Guava's public suffix probing, jSPF's regular-expression parser) was
 * a large part of their CPU per message in bench/mail-auth. The keys come from mail and DNS, so
 * the memory is bounded: when full, everything is forgotten at once (no ordering kept on the
 * read path, which is the hot one); a sender cycling through many names only works as if there
 * were no memo. Safe for concurrent use; a value worked out twice at once is the same value.
 */
final class BoundedMemo<K, V> {

    private final int capacity;
    private final Map<K, V> answers = new ConcurrentHashMap<>();

    BoundedMemo(int capacity) {
        this.capacity = capacity;
    }

    /** The remembered answer for {@code key}, null if there is none. */
    V get(K key) {
        return answers.get(key);
    }

    void put(K key, V value) {
        if (answers.size() >= capacity) {
            answers.clear();
        }
        answers.put(key, value);
    }

    /** The remembered answer for {@code key}, or {@code answer}'s, then remembered. */
    V get(K key, Function<? super K, ? extends V> answer) {
        V known = answers.get(key);
        if (known == null) {
            known = answer.apply(key);
            put(key, known);
        }
        return known;
    }
}
