package org.maildeck.maildir;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One message's values of the header fields that SEARCH keys name (RFC 9051 §6.4.4: FROM, TO,
 * CC, BCC, SUBJECT, and the Date: of SENTBEFORE/SENTON/SENTSINCE), as the header has them: every
 * occurrence, in order, each value as the search's header reader gives it (not decoded: the
 * search decodes as it always did). Other fields (HEADER with any other name) are not kept.
 */
public final class SearchedHeaderFields {

    /** The names kept, lower-case. */
    private static final Set<String> NAMES = Set.of("from", "to", "cc", "bcc", "subject", "date");
    public static final SearchedHeaderFields NONE = new SearchedHeaderFields(new String[0]);

    /** Name (one of {@link #NAMES}' own strings), value, name, value, ... in header order. */
    private final String[] namesAndValues;

    private SearchedHeaderFields(String[] namesAndValues) {
        this.namesAndValues = namesAndValues;
    }

    /** Whether a field of this name (any case) is kept. */
    public static boolean covers(String name) {
        return NAMES.contains(name.toLowerCase(Locale.ROOT));
    }

    /** The kept fields of a whole header, given as (name, value) pairs in order. */
    public static SearchedHeaderFields of(Iterable<? extends Map.Entry<String, String>> header) {
        List<String> kept = new ArrayList<>();
        for (Map.Entry<String, String> field : header) {
            String name = field.getKey().toLowerCase(Locale.ROOT);
            if (NAMES.contains(name)) {
                kept.add(canonical(name));
                kept.add(field.getValue());
            }
        }
        return kept.isEmpty() ? NONE : new SearchedHeaderFields(kept.toArray(new String[0]));
    }

    private static String canonical(String name) {
        for (String known : NAMES) {
            if (known.equals(name)) {
                return known;
            }
        }
        throw new IllegalArgumentException(name);
    }

    /** Every value of the field {@code name} (any case; must be {@linkplain #covers covered}), in header order. */
    public List<String> valuesOf(String name) {
        if (!covers(name)) {
            throw new IllegalArgumentException("header field " + name + " is not kept for SEARCH");
        }
        List<String> values = new ArrayList<>(1);
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (namesAndValues[i].equalsIgnoreCase(name)) {
                values.add(namesAndValues[i + 1]);
            }
        }
        return values;
    }

    /** Roughly what this takes of the heap, for the cache's bound. */
    int characters() {
        int characters = 0;
        for (int i = 1; i < namesAndValues.length; i += 2) {
            characters += namesAndValues[i].length();
        }
        return characters;
    }
}
