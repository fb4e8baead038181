package org.maildeck.mailets.sieve;

import java.util.concurrent.atomic.LongAdder;

/**
 * What Sieve at delivery did since the server started, for the {@code org.maildeck:type=Sieve}
 * MBean: counted where the mail log already says it ({@link SieveLog}, {@link Vacation}).
 *
 * <p>Process-wide rather than injected: the counts are made deep in jSieve's actions, which
 * jSieve instantiates by class name, out of Guice's reach; one server is one JVM.</p>
 */
public final class SieveCounters {

    private static final LongAdder SCRIPTS_RUN = new LongAdder();
    private static final LongAdder SCRIPTS_FAILED = new LongAdder();
    private static final LongAdder VACATION_REPLIES = new LongAdder();

    private SieveCounters() {
    }

    static void scriptRun() {
        SCRIPTS_RUN.increment();
    }

    static void scriptFailed() {
        SCRIPTS_FAILED.increment();
    }

    static void vacationReplySent() {
        VACATION_REPLIES.increment();
    }

    /** Scripts evaluated for a recipient (the {@code before} script and the user's count apart). */
    public static long scriptsRun() {
        return SCRIPTS_RUN.sum();
    }

    /** Recipients whose script could not be run or failed, the mail kept in INBOX. */
    public static long scriptsFailed() {
        return SCRIPTS_FAILED.sum();
    }

    public static long vacationRepliesSent() {
        return VACATION_REPLIES.sum();
    }
}
