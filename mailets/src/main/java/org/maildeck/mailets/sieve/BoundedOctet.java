package org.maildeck.mailets.sieve;

import java.util.List;
import java.util.Optional;

import org.apache.jsieve.comparators.Octet;
import org.apache.jsieve.exception.SievePatternException;

/** {@code i;octet} with {@code :matches} bounded by {@link BoundedGlob} and capturing, ordered for {@code relational}. */
public class BoundedOctet extends Octet implements CapturingMatches, OrderingComparator {

    @Override
    public boolean matches(String string, String glob) throws SievePatternException {
        return capture(string, glob, MatchBudget.unlimited()).isPresent();
    }

    @Override
    public Optional<List<String>> capture(String value, String glob, MatchBudget run) throws SievePatternException {
        return BoundedGlob.capture(value, glob, 0, run);
    }

    @Override
    public int compare(String value, String key) {
        return value.compareTo(key);
    }
}
