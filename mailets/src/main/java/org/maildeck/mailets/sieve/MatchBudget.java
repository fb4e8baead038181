package org.maildeck.mailets.sieve;

/**
 * The steps all of one script run's {@code :matches} may take together ({@link BoundedGlob}
 * bounds each one): without it, a script of thousands of {@code :matches} tests, each just under
 * its own bound, would still hold a delivery thread for minutes.
 */
final class MatchBudget {

    /** Ten of the largest single matches: about 100 ms. */
    static final long RUN_STEPS = 10 * BoundedGlob.MAX_STEPS;

    private long left;

    private MatchBudget(long steps) {
        this.left = steps;
    }

    static MatchBudget forRun() {
        return new MatchBudget(RUN_STEPS);
    }

    /** For a match outside a run (jSieve's own callers): only the bound of each match. */
    static MatchBudget unlimited() {
        return new MatchBudget(Long.MAX_VALUE);
    }

    /** Takes one step; false when the run has none left. */
    boolean take() {
        return --left >= 0;
    }

    boolean spent() {
        return left < 0;
    }
}
