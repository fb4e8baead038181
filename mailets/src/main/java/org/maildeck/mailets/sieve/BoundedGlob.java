package org.maildeck.mailets.sieve;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.apache.jsieve.comparators.ComparatorUtils;
import org.apache.jsieve.exception.SievePatternException;

/**
 * Sieve's {@code :matches} with a bounded cost. jSieve turns the glob into a Java regex
 * ({@code *} becomes {@code .*}) and Java's backtracking engine takes time polynomial in the
 * header's length with the number of stars ({@code "*a*a*a*a*a*a*b"} against a long header of
 * {@code a}s runs for hours), so a user's script could hold a delivery thread for good. The
 * subject is handed to the engine as a {@link CharSequence} that counts the characters it is
 * asked for and gives up past {@link #MAX_STEPS}: the test then fails with a
 * {@link SievePatternException}, like a broken script (the mail is kept in INBOX, the mail log
 * says why). The engine reads each character per attempt, so steps bound the work whatever the
 * pattern; an ordinary header and glob take a few hundred.
 */
final class BoundedGlob {

    /** About 10 ms of matching on these machines; far above any honest test. */
    static final long MAX_STEPS = 2_000_000;

    private BoundedGlob() {
    }

    static boolean matches(String subject, String glob) throws SievePatternException {
        Pattern pattern;
        try {
            pattern = Pattern.compile(ComparatorUtils.sieveToJavaRegex(glob), Pattern.DOTALL);
        } catch (PatternSyntaxException e) {
            throw new SievePatternException(e.getMessage());
        }
        try {
            return pattern.matcher(new Budgeted(subject, new long[] {MAX_STEPS})).matches();
        } catch (OverBudget e) {
            throw new SievePatternException(":matches \"" + abbreviated(glob) + "\" gave up after " + MAX_STEPS + " steps");
        }
    }

    private static String abbreviated(String glob) {
        return glob.length() <= 40 ? glob : glob.substring(0, 40) + "...";
    }

    /** The subject, each character read costing one step from a budget its sub-sequences share. */
    private record Budgeted(String text, long[] stepsLeft) implements CharSequence {

        @Override
        public char charAt(int index) {
            if (--stepsLeft[0] < 0) {
                throw new OverBudget();
            }
            return text.charAt(index);
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new Budgeted(text.substring(start, end), stepsLeft);
        }

        @Override
        public String toString() {
            return text;
        }
    }

    private static final class OverBudget extends RuntimeException {
        OverBudget() {
            super(null, null, false, false);
        }
    }
}
