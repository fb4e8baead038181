package org.maildeck.mailets.sieve;

import java.util.List;
import java.util.Optional;

import org.apache.jsieve.exception.SievePatternException;

/** A comparator whose {@code :matches} also tells what each wildcard matched (RFC 5229's match variables). */
interface CapturingMatches {

    /**
     * Empty when the glob does not match; else the whole value, then one string per {@code *}
     * and {@code ?}; the steps taken from the run's budget.
     */
    Optional<List<String>> capture(String value, String glob, MatchBudget run) throws SievePatternException;
}
