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

    /** The scanner worked but did not look at this message, e.g. above its size limit. */
    record Unchecked(String scanner, String reason) implements ScannerVerdict {
    }

    /** No opinion: the scanner is down, refused, timed out, or its circuit breaker is open. */
    record Failed(String scanner, String reason) implements ScannerVerdict {
    }
}
