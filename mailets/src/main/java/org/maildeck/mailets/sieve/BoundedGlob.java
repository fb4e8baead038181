package org.maildeck.mailets.sieve;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.apache.jsieve.exception.SievePatternException;

/**
 * Sieve's {@code :matches} with a bounded cost. The glob becomes a Java regex
 * ({@code *} becomes {@code (.*?)}) and Java's backtracking engine takes time polynomial in the
 * header's length with the number of stars ({@code "*a*a*a*a*a*a*b"} against a long header of
 * {@code a}s runs for hours), so a user's script could hold a delivery thread for good. The
 * subject is handed to the engine as a {@link CharSequence} that counts the characters it is
 * asked for and gives up past {@link #MAX_STEPS}: the test then fails with a
 * {@link SievePatternException}, like a broken script (the mail is kept in INBOX, the mail log
 * says why). The engine reads each character per attempt, so steps bound the work whatever the
 * pattern; an ordinary header and glob take a few hundred. The steps also count against the
 * run's {@link MatchBudget}, which bounds all the matches of one script run together.
 */
final class BoundedGlob {

    /** About 10 ms of matching on these machines; far above any honest test. */
    static final long MAX_STEPS = 2_000_000;

    private BoundedGlob() {
    }

    static boolean matches(String subject, String glob) throws SievePatternException {
        return capture(subject, glob, 0, MatchBudget.unlimited()).isPresent();
    }

    /**
     * The match of the whole subject, each wildcard a group ({@code *} as few characters as
     * will do, as RFC 5229 asks for its match variables), with the regex flags given
     * ({@link Pattern#CASE_INSENSITIVE} for {@code i;ascii-casemap}, ASCII only as RFC 4790 asks).
     */
    static Optional<List<String>> capture(String subject, String glob, int flags, MatchBudget run) throws SievePatternException {
        Pattern pattern;
        try {
            pattern = Pattern.compile(capturingRegex(glob), Pattern.DOTALL | flags);
        } catch (PatternSyntaxException e) {
            throw new SievePatternException(e.getMessage());
        }
        try {
            Matcher matcher = pattern.matcher(new Budgeted(subject, new long[] {MAX_STEPS}, run));
            if (!matcher.matches()) {
                return Optional.empty();
            }
            List<String> groups = new ArrayList<>(matcher.groupCount() + 1);
            for (int group = 0; group <= matcher.groupCount(); group++) {
                groups.add(subject.substring(matcher.start(group), matcher.end(group)));
            }
            return Optional.of(groups);
        } catch (OverBudget e) {
            if (run.spent()) {
                throw new SievePatternException(":matches \"" + abbreviated(glob) + "\" gave up: the script's matches took more than "
                    + MatchBudget.RUN_STEPS + " steps in all");
            }
            throw new SievePatternException(":matches \"" + abbreviated(glob) + "\" gave up after " + MAX_STEPS + " steps");
        }
    }

    /** The glob as a Java regex: {@code *} a lazy group, {@code ?} a one-character group, {@code \\x} the character x. */
    static String capturingRegex(String glob) {
        StringBuilder regex = new StringBuilder(glob.length() * 2);
        for (int at = 0; at < glob.length(); at++) {
            char c = glob.charAt(at);
            if (c == '*') {
                regex.append("(.*?)");
            } else if (c == '?') {
                regex.append("(.)");
            } else {
                if (c == '\\' && at + 1 < glob.length()) {
                    c = glob.charAt(++at);
                }
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return regex.toString();
    }

    private static String abbreviated(String glob) {
        return glob.length() <= 40 ? glob : glob.substring(0, 40) + "...";
    }

    /** The subject, each character read costing one step from a budget its sub-sequences share. */
    private record Budgeted(String text, long[] stepsLeft, MatchBudget run) implements CharSequence {

        @Override
        public char charAt(int index) {
            if (--stepsLeft[0] < 0 || !run.take()) {
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
            return new Budgeted(text.substring(start, end), stepsLeft, run);
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
