package org.maildeck.imap.context;

import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.UnsupportedCharsetException;
import java.util.List;

import javax.inject.Inject;

import org.apache.james.imap.api.ImapConstants;
import org.apache.james.imap.api.ImapMessage;
import org.apache.james.imap.api.Tag;
import org.apache.james.imap.api.display.HumanReadableText;
import org.apache.james.imap.api.message.request.SearchKey;
import org.apache.james.imap.api.message.request.SearchOperation;
import org.apache.james.imap.api.message.response.StatusResponse;
import org.apache.james.imap.api.message.response.StatusResponseFactory;
import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.decode.DecodingException;
import org.apache.james.imap.decode.ImapRequestLineReader;
import org.apache.james.imap.decode.parser.SearchCommandParser;
import org.apache.james.imap.message.request.SearchRequest;

/**
 * James's SEARCH parser, which also reads RFC 5267's return options (UPDATE, PARTIAL, CONTEXT;
 * {@link ContextReturn}). James reads "R" as the start of RETURN or RECENT; so does this, and
 * hands the search keys after either to James's own reading of them. A SEARCH with UPDATE or
 * PARTIAL becomes a {@link ContextSearchRequest}; any other is James's {@link SearchRequest}, as
 * before. Bound in place of James's parser, so that UID SEARCH reads them too.
 */
public class ContextSearchCommandParser extends SearchCommandParser {

    private final StatusResponseFactory responses;

    @Inject
    public ContextSearchCommandParser(StatusResponseFactory responses) {
        super(responses);
        this.responses = responses;
    }

    @Override
    protected ImapMessage decode(ImapRequestLineReader request, Tag tag, boolean useUids, ImapSession session) throws DecodingException {
        if (ImapRequestLineReader.cap(request.nextWordChar()) != 'R') {
            return super.decode(request, tag, useUids, session);
        }
        try {
            request.consume();
            expect(request, "E");
            if (ImapRequestLineReader.cap(request.consume()) == 'C') {
                expect(request, "ENT");
                return james(recentAnd(request, session), List.of(), useUids, tag);
            }
            expect(request, "URN");
            ContextReturn options = ContextReturn.parse(request);
            SearchKey key = decode(session, request);
            if (options.isJames()) {
                return james(key, options.results(), useUids, tag);
            }
            return new ContextSearchRequest(tag, useUids, key, options);
        } catch (IllegalCharsetNameException | UnsupportedCharsetException unknown) {
            return responses.taggedNo(tag, ImapConstants.SEARCH_COMMAND, HumanReadableText.BAD_CHARSET,
                StatusResponse.ResponseCode.badCharset());
        }
    }

    /** The rest of a search that began with RECENT, as James reads it. */
    private SearchKey recentAnd(ImapRequestLineReader request, ImapSession session) throws DecodingException {
        if (request.nextChar() != ' ') {
            request.eol();
            return SearchKey.buildRecent();
        }
        return SearchKey.buildAnd(List.of(SearchKey.buildRecent(), decode(session, request)));
    }

    private static SearchRequest james(SearchKey key, List<org.apache.james.imap.api.message.request.SearchResultOption> options,
                                       boolean useUids, Tag tag) {
        return new SearchRequest(new SearchOperation(key, new java.util.ArrayList<>(options)), useUids, tag);
    }

    private static void expect(ImapRequestLineReader request, String letters) throws DecodingException {
        for (char letter : letters.toCharArray()) {
            if (ImapRequestLineReader.cap(request.consume()) != letter) {
                throw new DecodingException(HumanReadableText.ILLEGAL_ARGUMENTS, "Unknown search key");
            }
        }
    }
}
