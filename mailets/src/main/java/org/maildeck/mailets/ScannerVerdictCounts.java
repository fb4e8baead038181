package org.maildeck.mailets;

import java.util.concurrent.atomic.LongAdder;

import org.maildeck.contentfilter.ScannerVerdict;

/** One scanner's verdicts since the server started, one count per message it was asked about. */
public final class ScannerVerdictCounts {

    private final LongAdder clean = new LongAdder();
    private final LongAdder infected = new LongAdder();
    private final LongAdder banned = new LongAdder();
    private final LongAdder scored = new LongAdder();
    private final LongAdder unchecked = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LongAdder timeouts = new LongAdder();
    private final LongAdder circuitOpen = new LongAdder();

    void count(ScannerVerdict verdict) {
        if (verdict instanceof ScannerVerdict.Clean) {
            clean.increment();
        } else if (verdict instanceof ScannerVerdict.Infected) {
            infected.increment();
        } else if (verdict instanceof ScannerVerdict.Banned) {
            banned.increment();
        } else if (verdict instanceof ScannerVerdict.Scored) {
            scored.increment();
        } else if (verdict instanceof ScannerVerdict.Unchecked) {
            unchecked.increment();
        } else if (verdict instanceof ScannerVerdict.Failed failed) {
            failureCount(failed.cause()).increment();
        }
    }

    private LongAdder failureCount(ScannerVerdict.Failed.Cause cause) {
        return switch (cause) {
            case ERROR -> errors;
            case TIMEOUT -> timeouts;
            case CIRCUIT_OPEN -> circuitOpen;
        };
    }

    /** Messages the scanner gave a verdict on: everything but unchecked and failed. */
    public long verdicts() {
        return clean.sum() + infected.sum() + banned.sum() + scored.sum();
    }

    public long clean() {
        return clean.sum();
    }

    public long infected() {
        return infected.sum();
    }

    public long banned() {
        return banned.sum();
    }

    public long scored() {
        return scored.sum();
    }

    public long unchecked() {
        return unchecked.sum();
    }

    /** Failures of every kind: errors, timeouts and refusals while the circuit was open. */
    public long failures() {
        return errors.sum() + timeouts.sum() + circuitOpen.sum();
    }

    public long timeouts() {
        return timeouts.sum();
    }

    public long circuitOpen() {
        return circuitOpen.sum();
    }
}
