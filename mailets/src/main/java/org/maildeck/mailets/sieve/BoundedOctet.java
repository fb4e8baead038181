package org.maildeck.mailets.sieve;

import org.apache.jsieve.comparators.Octet;
import org.apache.jsieve.exception.SievePatternException;

/** {@code i;octet} with {@code :matches} bounded by {@link BoundedGlob}. */
public class BoundedOctet extends Octet {

    @Override
    public boolean matches(String string, String glob) throws SievePatternException {
        return BoundedGlob.matches(string, glob);
    }
}
