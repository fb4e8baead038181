package org.maildeck.mailets.sieve;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.jsieve.exception.SieveException;

/**
 * One script run's variables (RFC 5229): those {@code set} names, and the match variables
 * {@code ${0}}..{@code ${9}} the last successful {@code :matches} left. Expansion is off until
 * the script requires {@code "variables"} (without it, {@code ${} is plain text).
 *
 * <p>Bounded as Pigeonhole bounds them: a value is cut to {@value #MAX_VALUE_CHARS} characters
 * ({@code sieve_variables_max_variable_size}), a run holds at most {@value #MAX_VARIABLES}
 * variables ({@code sieve_variables_max_scope_size}). Expansion is one pass (a value is never
 * expanded again), so it costs the length of its result, and a result longer than
 * {@value #MAX_EXPANDED_CHARS} characters fails the script instead of growing: a script of
 * {@code "${a}${a}..."} could otherwise make a string of gigabytes.</p>
 */
final class SieveVariables {

    static final int MAX_VALUE_CHARS = 4096;
    static final int MAX_VARIABLES = 255;
    static final int MAX_EXPANDED_CHARS = 65536;
    private static final int MATCH_VARIABLES = 10;

    private final Map<String, String> values = new HashMap<>();
    private List<String> matched = List.of();
    private boolean required;

    /** {@code require "variables"}: from now on strings are expanded. */
    void require() {
        required = true;
    }

    boolean required() {
        return required;
    }

    void set(String name, String value) throws SieveException {
        String key = name.toLowerCase(Locale.ROOT);
        if (!values.containsKey(key) && values.size() >= MAX_VARIABLES) {
            throw new SieveException("more than " + MAX_VARIABLES + " variables");
        }
        values.put(key, cut(value));
    }

    /** The groups of a successful {@code :matches}: the whole value, then one per wildcard. */
    void matched(List<String> groups) {
        List<String> kept = new ArrayList<>(Math.min(groups.size(), MATCH_VARIABLES));
        for (String group : groups.subList(0, Math.min(groups.size(), MATCH_VARIABLES))) {
            kept.add(cut(group));
        }
        matched = kept;
    }

    /** The string with each {@code ${name}} and {@code ${digit}} replaced; a variable never set is empty. */
    String expand(String text) throws SieveException {
        if (!required || text.indexOf("${") < 0) {
            return text;
        }
        StringBuilder expanded = new StringBuilder(text.length());
        int at = 0;
        while (at < text.length()) {
            int start = text.indexOf("${", at);
            int end = start < 0 ? -1 : text.indexOf('}', start + 2);
            if (end < 0) {
                expanded.append(text, at, text.length());
                break;
            }
            String name = text.substring(start + 2, end);
            expanded.append(text, at, start);
            if (isReference(name)) {
                expanded.append(valueOf(name));
                at = end + 1;
            } else {
                // not a variable: "${" is text, and the scan goes on after it
                expanded.append("${");
                at = start + 2;
            }
            if (expanded.length() > MAX_EXPANDED_CHARS) {
                throw new SieveException("a string longer than " + MAX_EXPANDED_CHARS + " characters once variables are expanded");
            }
        }
        return expanded.toString();
    }

    private String valueOf(String name) {
        if (Character.isDigit(name.charAt(0))) {
            int index = Integer.parseInt(name);
            return index < matched.size() ? matched.get(index) : "";
        }
        return values.getOrDefault(name.toLowerCase(Locale.ROOT), "");
    }

    /** RFC 5229's identifier (a letter or "_", then letters, digits and "_") or a number. */
    static boolean isIdentifier(String name) {
        if (name.isEmpty() || name.length() > 64 || Character.isDigit(name.charAt(0))) {
            return false;
        }
        return name.chars().allMatch(c -> c == '_' || (c < 128 && Character.isLetterOrDigit(c)));
    }

    private static boolean isReference(String name) {
        if (!name.isEmpty() && name.length() <= 4 && name.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return true;
        }
        return isIdentifier(name);
    }

    private static String cut(String value) {
        return value.length() <= MAX_VALUE_CHARS ? value : value.substring(0, MAX_VALUE_CHARS);
    }
}
