package org.maildeck.mailets.sieve;

import java.util.Locale;

import org.apache.jsieve.comparators.AsciiCasemap;
import org.apache.jsieve.exception.SievePatternException;

/** {@code i;ascii-casemap} (Sieve's default comparator) with {@code :matches} bounded by {@link BoundedGlob}. */
public class BoundedAsciiCasemap extends AsciiCasemap {

    @Override
    public boolean matches(String string, String glob) throws SievePatternException {
        return BoundedGlob.matches(string.toUpperCase(Locale.ROOT), glob.toUpperCase(Locale.ROOT));
    }
}
