package org.maildeck.contentfilter;

/** What one scanner made of a message. */
public sealed interface ScannerVerdict {

    String scanner();

    /** Nothing found. {@code engine} names the scanner for the headers, e.g. {@code ClamAV 1.4.6}. */
    record Clean(String scanner, String engine) implements ScannerVerdict {
    }

    record Infected(String scanner, String engine, String virus) implements ScannerVerdict {
    }

    /** A part the rules do not allow, e.g. {@code invoice.zip/setup.exe} for {@code *.exe}. */
    record Banned(String scanner, String part, String reason) implements ScannerVerdict {
    }

    /**
     * A grade rather than a judgement (spamd): the score, the scanner's own threshold and the
     * rules that hit. What the score means is decided per recipient (tag, tag2 and kill levels).
     */
    record Scored(String scanner, String engine, double score, double threshold, java.util.List<String> symbols) implements ScannerVerdict {
        public Scored {
            symbols = java.util.List.copyOf(symbols);
        }
    }

    /** The scanner worked but did not look at this message, e.g. above its size limit. */
    record Unchecked(String scanner, String reason) implements ScannerVerdict {
    }

    /** No opinion: the scanner is down, refused, timed out, or its circuit breaker is open. */
    record Failed(String scanner, Cause cause, String reason) implements ScannerVerdict {

        /** Why there is no opinion, as the monitoring counts them. */
        public enum Cause {
            /** Unreachable, refused, or an answer that made no sense. */
            ERROR,
            /** Still busy when the scanner's timeout ran out. */
            TIMEOUT,
            /** Not asked: its circuit breaker is open after repeated failures. */
            CIRCUIT_OPEN
        }

        public Failed(String scanner, String reason) {
            this(scanner, Cause.ERROR, reason);
        }
    }
}
