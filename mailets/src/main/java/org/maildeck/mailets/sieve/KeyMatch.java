package org.maildeck.mailets.sieve;

import java.util.List;
import java.util.Optional;

import org.apache.jsieve.SieveContext;
import org.apache.jsieve.comparators.Comparator;
import org.apache.jsieve.exception.SieveException;
import org.apache.jsieve.mail.MailAdapter;

/**
 * Whether any of a test's values matches any of its keys, by the test's comparator and match
 * type: the one comparison of {@code header}, {@code address}, {@code envelope} and
 * {@code string}. A successful {@code :matches} leaves what its wildcards matched in the run's
 * match variables (RFC 5229 3.2). {@code :count} compares the number of values with each key
 * (RFC 5231 4.2).
 */
final class KeyMatch {

    private KeyMatch() {
    }

    static boolean any(MailAdapter mail, SieveContext context, ComparingArguments how, List<String> values) throws SieveException {
        Comparator comparator = context.getComparatorManager().getComparator(how.comparator());
        if (how.counts()) {
            String count = String.valueOf(values.size());
            for (String key : how.keys()) {
                if (how.relation().orElseThrow().holds(ordering(comparator, how).compare(count, key))) {
                    return true;
                }
            }
            return false;
        }
        for (String value : values) {
            for (String key : how.keys()) {
                if (matches(mail, comparator, how, value, key)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean matches(MailAdapter mail, Comparator comparator, ComparingArguments how, String value, String key)
            throws SieveException {
        return switch (how.matchType()) {
            case ComparingArguments.IS -> comparator.equals(value, key);
            case ComparingArguments.CONTAINS -> comparator.contains(value, key);
            case ComparingArguments.VALUE -> how.relation().orElseThrow().holds(ordering(comparator, how).compare(value, key));
            case ComparingArguments.MATCHES -> globMatches(mail, comparator, value, key);
            default -> throw new SieveException("unknown match type " + how.matchType());
        };
    }

    private static boolean globMatches(MailAdapter mail, Comparator comparator, String value, String glob) throws SieveException {
        if (!(comparator instanceof CapturingMatches capturing) || !(mail instanceof RecipientMailAdapter run)) {
            return comparator.matches(value, glob);
        }
        Optional<List<String>> groups = capturing.capture(value, glob, run.matchBudget());
        groups.ifPresent(run.variables()::matched);
        return groups.isPresent();
    }

    private static OrderingComparator ordering(Comparator comparator, ComparingArguments how) throws SieveException {
        if (comparator instanceof OrderingComparator ordering) {
            return ordering;
        }
        throw new SieveException("comparator " + how.comparator() + " has no ordering for " + how.matchType());
    }
}
