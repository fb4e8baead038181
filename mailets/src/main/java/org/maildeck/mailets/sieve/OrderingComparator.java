package org.maildeck.mailets.sieve;

/**
 * A comparator's ordering, which RFC 5231's {@code :value} and {@code :count} use (jSieve's
 * comparators only tell equality, substrings and globs).
 */
interface OrderingComparator {

    /** Negative, zero or positive as {@code value} sorts before, with or after {@code key}. */
    int compare(String value, String key);
}
