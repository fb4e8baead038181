package org.maildeck.imap.sort;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.inject.Inject;

import org.apache.james.imap.api.ImapMessage;
import org.apache.james.imap.api.Tag;
import org.apache.james.imap.api.display.HumanReadableText;
import org.apache.james.imap.api.message.request.SearchKey;
import org.apache.james.imap.api.message.response.StatusResponseFactory;
import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.decode.DecodingException;
import org.apache.james.imap.decode.ImapRequestLineReader;
import org.maildeck.imap.context.ContextReturn;

/**
 * {@code SORT [RETURN (sort-return-opts)] (sort-criteria) charset search-keys}: RFC 5256 §5
 * ({@code sort-criterion = ["REVERSE" SP] sort-key}) with RFC 5267 §3.2's RETURN, whose
 * options are SEARCH's (RFC 4731: MIN, MAX, COUNT, ALL; RFC 5182: SAVE; RFC 5267 §4: UPDATE,
 * PARTIAL, CONTEXT), read by {@link ContextReturn}.
 */
public final class SortCommandParser extends SearchingCommandParser {

    @Inject
    public SortCommandParser(StatusResponseFactory responses) {
        super("SORT", responses);
    }

    @Override
    protected ImapMessage decodeArguments(ImapRequestLineReader request, Tag tag, boolean useUids, ImapSession session) throws DecodingException {
        Optional<ContextReturn> returned = Optional.empty();
        if (Character.toUpperCase(request.nextWordChar()) == 'R') {
            if (!atom(request).equalsIgnoreCase("RETURN")) {
                throw illegal("RETURN or sort criteria expected");
            }
            returned = Optional.of(ContextReturn.parse(request));
        }
        List<SortKey.Criterion> criteria = criteria(request);
        SearchKey searchKey = searchCriteria(request, session);
        return new SortRequest(getCommand(), tag, useUids, criteria, searchKey, returned);
    }

    private static List<SortKey.Criterion> criteria(ImapRequestLineReader request) throws DecodingException {
        request.nextWordChar();
        request.consumeChar('(');
        List<SortKey.Criterion> criteria = new ArrayList<>();
        boolean reverse = false;
        while (request.nextWordChar() != ')') {
            String word = atom(request);
            if (word.equalsIgnoreCase("REVERSE") && !reverse) {
                reverse = true;
                continue;
            }
            SortKey key = SortKey.named(word).orElseThrow(() -> illegal("Unknown sort key " + word));
            criteria.add(new SortKey.Criterion(key, reverse));
            reverse = false;
        }
        request.consumeChar(')');
        if (criteria.isEmpty() || reverse) {
            throw illegal("A sort key expected");
        }
        return criteria;
    }

    private static DecodingException illegal(String why) {
        return new DecodingException(HumanReadableText.ILLEGAL_ARGUMENTS, why);
    }
}
