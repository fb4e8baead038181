package org.maildeck.mailauth;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import javax.inject.Singleton;

/**
 * The counts of mail-authentication decisions since start, one per kind of mail-log line
 * ({@code dkim-sign}, {@code dkim=pass}, {@code dkim=fail}, ...); shared by the mailets through
 * Guice, for the MailAuth MBean of a later round to read.
 */
@Singleton
public class MailAuthCounters {

    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    void count(String what) {
        counts.computeIfAbsent(what, key -> new LongAdder()).increment();
    }

    public Map<String, Long> snapshot() {
        Map<String, Long> copy = new TreeMap<>();
        counts.forEach((what, count) -> copy.put(what, count.sum()));
        return copy;
    }
}
