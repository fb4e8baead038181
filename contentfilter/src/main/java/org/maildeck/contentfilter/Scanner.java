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

    /** The scanner's opinion; an exception means it could not give one. */
    ScannerVerdict scan(ScanInput message) throws IOException;
}
