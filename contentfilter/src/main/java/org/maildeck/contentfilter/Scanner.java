package org.maildeck.contentfilter;

import java.io.IOException;
import java.time.Duration;

/** One content scanner on the route (clamd; spamd with the spam filter). */
public interface Scanner {

    /** Short and stable: it names the scanner's route and its statistics, e.g. {@code clamav}. */
    String name();

    /** How long the route waits for this scanner before it counts as failed. */
    Duration timeout();

    /** The scanner's opinion; an exception means it could not give one. */
    ScannerVerdict scan(ScanInput message) throws IOException;
}
