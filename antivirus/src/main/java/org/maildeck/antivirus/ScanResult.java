package org.maildeck.antivirus;

/** What clamd said about one stream. */
public sealed interface ScanResult {

    /** {@code stream: OK} */
    record Clean() implements ScanResult {
    }

    /** {@code stream: <signature> FOUND} */
    record Infected(String signature) implements ScanResult {
    }

    /**
     * The stream is longer than clamd scans ({@code StreamMaxLength}): nothing can be said about
     * it. Where the limit is known the client stops sending at it instead of streaming it all.
     */
    record TooLarge(long limitBytes) implements ScanResult {
    }
}
