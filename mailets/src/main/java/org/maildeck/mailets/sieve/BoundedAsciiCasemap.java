package org.maildeck.mailets.sieve;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import org.apache.jsieve.comparators.AsciiCasemap;
import org.apache.jsieve.exception.SievePatternException;

/**
 * {@code i;ascii-casemap} (Sieve's default comparator) with {@code :matches} bounded by
 * {@link BoundedGlob} and capturing its wildcards, and an ordering for {@code relational}
 * (RFC 4790: the strings compared with a-z as A-Z).
 */
public class BoundedAsciiCasemap extends AsciiCasemap implements CapturingMatches, OrderingComparator {

    @Override
    public boolean matches(String string, String glob) throws SievePatternException {
        return capture(string, glob, MatchBudget.unlimited()).isPresent();
    }

    @Override
    public Optional<List<String>> capture(String value, String glob, MatchBudget run) throws SievePatternException {
        return BoundedGlob.capture(value, glob, Pattern.CASE_INSENSITIVE, run);
    }

    @Override
    public int compare(String value, String key) {
        return asciiUpper(value).compareTo(asciiUpper(key));
    }

    private static String asciiUpper(String text) {
        StringBuilder upper = new StringBuilder(text.length());
        text.chars().forEach(c -> upper.append((char) (c >= 'a' && c <= 'z' ? c - 32 : c)));
        return upper.toString();
    }
}
