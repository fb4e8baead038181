package org.maildeck.monitoring;

/**
 * {@code org.maildeck:type=Scanner,name=<clamav|banned|spamassassin>}: one scanner on the
 * content filter's route. Counts are messages since the server started; latencies are of the
 * last five minutes.
 */
public interface ScannerMXBean {

    /** Messages the scanner gave a verdict on (clean, infected, banned or scored). */
    long getVerdictsTotal();

    long getCleanTotal();

    /** Viruses found (clamav). */
    long getInfectedTotal();

    /** Messages with a part the rules forbid (banned). */
    long getBannedTotal();

    /** Messages given a spam score (spamassassin). */
    long getScoredTotal();

    /** Messages the scanner was not asked about: above its size limit, trusted senders, infected mail for spamassassin. */
    long getUncheckedTotal();

    /** Messages with no verdict: errors, timeouts and refusals while the circuit was open. */
    long getFailuresTotal();

    /** Of the failures: the scanner was still busy when its timeout ran out. */
    long getTimeoutsTotal();

    /** Of the failures: not asked, because its circuit breaker was open after repeated failures. */
    long getCircuitOpenTotal();

    double getLatencyMedianMillis();

    double getLatencyP99Millis();

    double getLatencyMaxMillis();

    /** Calls the latencies are computed from. */
    long getLatencySamples();
}
