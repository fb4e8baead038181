package org.maildeck.contentfilter;

import java.io.IOException;
import java.time.Duration;

/** One content scanner on the route (clamd; spamd with the spam filter). */
public interface Scanner {

    /** Short and stable: it names the scanner's route and its statistics, e.g. {@code clamav}. */
    String name();

    /** How long the route waits for this scanner before it counts as failed. */
    Duration timeout();

    /**
     * Whether a message another scanner found infected is not worth this scanner's time (spam
     * scoring): on the sequential route it is not asked, on the parallel one its answer is dropped.
     */
    default boolean skipsInfectedMail() {
        return false;
    }

    /**
     * Whether every call ends within {@link #timeout()} by the scanner's own means: a client
     * whose every wait is cut at the call's limit (clamd), or in-process work bounded by its own
     * limits, with no I/O but reading the message from memory (the banned-attachment rules' MIME
     * depth, archive entries and expanded bytes). Such a scanner is called on the route's own
     * thread: a hand-over to a time-limited thread ({@link TimeLimitedCalls}) would cost a thread
     * switch per message and cut short nothing.
     */
    default boolean limitsItsOwnTime() {
        return false;
    }

    /** The scanner's opinion; an exception means it could not give one. */
    ScannerVerdict scan(ScanInput message) throws IOException;
}
