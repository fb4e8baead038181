package org.maildeck.imap;

import static java.nio.charset.StandardCharsets.US_ASCII;

/**
 * Follows the bytes of one IMAP command line and tells, at its line feed, whether the line
 * announces a literal ({@code {N}} or {@code {N+}}, RFC 9051 §4.3, RFC 7888) and of how many
 * bytes. Keeps only the last few bytes of the line, so any line length costs the same memory.
 */
final class LiteralAnnouncement {

    /** No literal announced at the end of the line. */
    static final long NONE = -1;
    // Enough for "{" + 19 digits + "+}\r"; longer digit runs cannot be a size that fits.
    private static final int TAIL_LENGTH = 24;

    private final byte[] tail = new byte[TAIL_LENGTH];
    private int tailLength;
    private boolean nonSynchronising;

    /** Notes one byte of the line before its line feed. */
    void note(byte b) {
        if (tailLength == TAIL_LENGTH) {
            System.arraycopy(tail, 1, tail, 0, TAIL_LENGTH - 1);
            tailLength--;
        }
        tail[tailLength++] = b;
    }

    /**
     * At the line feed: the size of the literal announced at the end of the line, or {@link #NONE};
     * the next line starts afresh.
     */
    long endOfLine() {
        long announced = announced();
        tailLength = 0;
        return announced;
    }

    /** Whether the last literal announced was {@code {N+}}, sent without waiting for a continuation. */
    boolean nonSynchronising() {
        return nonSynchronising;
    }

    private long announced() {
        int end = tailLength;
        if (end > 0 && tail[end - 1] == '\r') {
            end--;
        }
        if (end < 3 || tail[end - 1] != '}') {
            return NONE;
        }
        int digitsEnd = end - 1;
        boolean plus = tail[digitsEnd - 1] == '+';
        if (plus) {
            digitsEnd--;
        }
        int digitsStart = digitsEnd;
        while (digitsStart > 0 && Character.isDigit(tail[digitsStart - 1])) {
            digitsStart--;
        }
        if (digitsStart == digitsEnd || digitsStart == 0 || tail[digitsStart - 1] != '{') {
            return NONE;
        }
        nonSynchronising = plus;
        String digits = new String(tail, digitsStart, digitsEnd - digitsStart, US_ASCII);
        return digits.length() > 18 ? Long.MAX_VALUE : Long.parseLong(digits);
    }
}
