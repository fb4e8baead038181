package org.maildeck.imap.context;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.apache.james.imap.api.display.HumanReadableText;
import org.apache.james.imap.api.message.request.SearchResultOption;
import org.apache.james.imap.decode.DecodingException;
import org.apache.james.imap.decode.ImapRequestLineReader;

/**
 * The RETURN options of a SEARCH or a SORT (RFC 4731 §3.1, RFC 5182, RFC 5267 §3.2, §4.2-4.4):
 * James's (MIN, MAX, COUNT, ALL, SAVE) and those of CONTEXT=SEARCH and CONTEXT=SORT: CONTEXT (a
 * hint, RFC 5267 §4.2, accepted and ignored), UPDATE (§4.3) and PARTIAL (§4.4). {@code RETURN ()}
 * means ALL.
 */
public record ContextReturn(List<SearchResultOption> results, boolean update, Optional<PartialRange> partial) {

    /** A PARTIAL range, {@code nz-number ":" nz-number}, lower bound first (§4.4: "4:2" is "2:4"). */
    public record PartialRange(long first, long last) {

        static PartialRange parse(String text) throws DecodingException {
            String[] bounds = text.split(":", -1);
            if (bounds.length != 2 || !isNzNumber(bounds[0]) || !isNzNumber(bounds[1])) {
                throw bad("PARTIAL range broken: " + text);
            }
            long one = Long.parseLong(bounds[0]);
            long other = Long.parseLong(bounds[1]);
            return new PartialRange(Math.min(one, other), Math.max(one, other));
        }

        private static boolean isNzNumber(String text) {
            return text.matches("[1-9][0-9]{0,9}") && Long.parseLong(text) <= 0xFFFFFFFFL;
        }

        @Override
        public String toString() {
            return first + ":" + last;
        }
    }

    /** Whether these are RFC 4731's options alone (none of RFC 5267 §4's but the CONTEXT hint), which James's SEARCH answers. */
    public boolean isJames() {
        return !update && partial.isEmpty();
    }

    /** {@code "(" [search-return-opt *(SP search-return-opt)] ")"}, read after RETURN. */
    public static ContextReturn parse(ImapRequestLineReader request) throws DecodingException {
        request.nextWordChar();
        request.consumeChar('(');
        List<SearchResultOption> results = new ArrayList<>();
        boolean update = false;
        Optional<PartialRange> partial = Optional.empty();
        while (request.nextWordChar() != ')') {
            String option = request.atom().toUpperCase(Locale.ROOT);
            switch (option) {
                case "MIN" -> results.add(SearchResultOption.MIN);
                case "MAX" -> results.add(SearchResultOption.MAX);
                case "COUNT" -> results.add(SearchResultOption.COUNT);
                case "ALL" -> results.add(SearchResultOption.ALL);
                case "SAVE" -> results.add(SearchResultOption.SAVE);
                case "CONTEXT" -> { }
                case "UPDATE" -> {
                    if (update) {
                        throw bad("UPDATE given twice");
                    }
                    update = true;
                }
                case "PARTIAL" -> {
                    if (partial.isPresent()) {
                        throw bad("PARTIAL given twice");
                    }
                    request.nextWordChar();
                    partial = Optional.of(PartialRange.parse(request.atom()));
                }
                default -> throw bad("Unknown RETURN option " + option);
            }
        }
        request.consumeChar(')');
        if (partial.isPresent() && results.contains(SearchResultOption.ALL)) {
            throw bad("PARTIAL conflicts with ALL");   // RFC 5267 §4.4: PARTIAL is a window on what ALL returns
        }
        if ((update || partial.isPresent()) && results.contains(SearchResultOption.SAVE)) {
            throw bad("SAVE is not supported with UPDATE or PARTIAL");
        }
        if (results.isEmpty() && !update && partial.isEmpty()) {
            results.add(SearchResultOption.ALL);   // RFC 4731 §3.1, and the CONTEXT hint alone
        }
        return new ContextReturn(List.copyOf(results), update, partial);
    }

    private static DecodingException bad(String why) {
        return new DecodingException(HumanReadableText.ILLEGAL_ARGUMENTS, why);
    }
}
