package org.maildeck.mailets.sieve;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.apache.jsieve.Argument;
import org.apache.jsieve.Arguments;
import org.apache.jsieve.SieveContext;
import org.apache.jsieve.StringListArgument;
import org.apache.jsieve.TagArgument;
import org.apache.jsieve.exception.SieveException;

/**
 * The arguments of a test that compares values with keys ({@code header}, {@code address},
 * {@code envelope}, {@code string}): the optional address part ({@link AddressPart}), comparator
 * and match type, in any order (RFC 5228 2.7), the match types being RFC 5228's {@code :is},
 * {@code :contains} and {@code :matches} and RFC 5231's {@code :value "rel"} and
 * {@code :count "rel"}; then the sources (header names, envelope parts, strings) and the keys.
 */
record ComparingArguments(AddressPart addressPart, String comparator, String matchType, Optional<Relation> relation,
                          List<String> sources, List<String> keys) {

    static final String IS = ":is";
    static final String CONTAINS = ":contains";
    static final String MATCHES = ":matches";
    static final String VALUE = ":value";
    static final String COUNT = ":count";
    private static final List<String> MATCH_TYPES = List.of(IS, CONTAINS, MATCHES, VALUE, COUNT);

    boolean counts() {
        return COUNT.equals(matchType);
    }

    static ComparingArguments parse(Arguments arguments, SieveContext context, boolean addressParts) throws SieveException {
        AddressPart part = null;
        String comparator = null;
        String matchType = null;
        Relation relation = null;
        List<List<String>> lists = new ArrayList<>();
        List<Argument> all = arguments.getArgumentList();
        for (int at = 0; at < all.size(); at++) {
            Argument argument = all.get(at);
            if (argument instanceof StringListArgument strings) {
                lists.add(strings.getList());
                continue;
            }
            if (!(argument instanceof TagArgument tag) || !lists.isEmpty()) {
                throw context.getCoordinate().syntaxException("unexpected argument " + argument);
            }
            String name = tag.getTag().toLowerCase(Locale.ROOT);
            Optional<AddressPart> asPart = AddressPart.ofTag(name);
            if (asPart.isPresent() && addressParts && part == null) {
                part = asPart.get();
            } else if (name.equals(":comparator") && comparator == null) {
                comparator = single(all, ++at, context, ":comparator");
            } else if (MATCH_TYPES.contains(name) && matchType == null) {
                matchType = name;
                if (name.equals(VALUE) || name.equals(COUNT)) {
                    String operator = single(all, ++at, context, name);
                    relation = Relation.named(operator).orElseThrow(() ->
                        context.getCoordinate().syntaxException(name + ": unknown relation \"" + operator + "\""));
                }
            } else {
                throw context.getCoordinate().syntaxException("unexpected tag " + tag.getTag());
            }
        }
        if (lists.size() != 2) {
            throw context.getCoordinate().syntaxException("expects a list of sources and a list of keys");
        }
        if (arguments.hasTests()) {
            throw context.getCoordinate().syntaxException("unexpected tests");
        }
        return new ComparingArguments(part == null ? AddressPart.ALL : part, comparator == null ? "i;ascii-casemap" : comparator,
            matchType == null ? IS : matchType, Optional.ofNullable(relation), lists.get(0), lists.get(1));
    }

    private static String single(List<Argument> all, int at, SieveContext context, String tag) throws SieveException {
        if (at >= all.size() || !(all.get(at) instanceof StringListArgument strings) || strings.getList().size() != 1) {
            throw context.getCoordinate().syntaxException(tag + " expects one string");
        }
        return strings.getList().get(0);
    }
}
