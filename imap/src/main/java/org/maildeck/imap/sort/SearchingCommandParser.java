package org.maildeck.imap.sort;

import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.UnsupportedCharsetException;
import java.util.ArrayList;
import java.util.List;

import org.apache.james.imap.api.ImapCommand;
import org.apache.james.imap.api.ImapMessage;
import org.apache.james.imap.api.Tag;
import org.apache.james.imap.api.display.HumanReadableText;
import org.apache.james.imap.api.message.request.SearchKey;
import org.apache.james.imap.api.message.response.StatusResponse;
import org.apache.james.imap.api.message.response.StatusResponseFactory;
import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.decode.DecodingException;
import org.apache.james.imap.decode.ImapRequestLineReader;
import org.apache.james.imap.decode.parser.SearchCommandParser;

/**
 * The parser of a command that ends in SEARCH's criteria, {@code charset 1*(SP search-key)}
 * (RFC 5256 §5 "search-criteria"): SORT and THREAD. It extends James's SEARCH parser for two
 * reasons: the search keys are read by James's own code, and James's UID command accepts only
 * its (package-private) UID-capable parsers, of which SEARCH's is one, so {@code UID SORT} and
 * {@code UID THREAD} reach this parser. It names its own command, and answers a malformed
 * command with a BAD naming it.
 */
abstract class SearchingCommandParser extends SearchCommandParser {

    private final ImapCommand command;
    private final StatusResponseFactory responses;

    SearchingCommandParser(String name, StatusResponseFactory responses) {
        super(responses);
        this.command = ImapCommand.selectedStateCommand(name);
        this.responses = responses;
    }

    @Override
    public ImapCommand getCommand() {
        return command;
    }

    @Override
    protected final ImapMessage decode(ImapRequestLineReader request, Tag tag, boolean useUids, ImapSession session) {
        try {
            return decodeArguments(request, tag, useUids, session);
        } catch (DecodingException malformed) {
            return responses.taggedBad(tag, command, malformed.getKey());
        } catch (IllegalCharsetNameException | UnsupportedCharsetException unknown) {
            return responses.taggedNo(tag, command, HumanReadableText.BAD_CHARSET, StatusResponse.ResponseCode.badCharset());
        }
    }

    /** The command's arguments, after its name. */
    protected abstract ImapMessage decodeArguments(ImapRequestLineReader request, Tag tag, boolean useUids, ImapSession session)
        throws DecodingException;

    /** {@code charset 1*(SP search-key)} to the end of the line, the keys ANDed; an unknown charset throws. */
    protected SearchKey searchCriteria(ImapRequestLineReader request, ImapSession session) throws DecodingException {
        request.nextWordChar();
        Charset charset = Charset.forName(request.astring());
        Context context = new Context();
        context.setCharset(charset);
        List<SearchKey> keys = new ArrayList<>();
        do {
            request.nextWordChar();
            keys.add(searchKey(session, request, context, false));
        } while (request.nextChar() == ' ');
        request.eol();
        return keys.size() == 1 ? keys.get(0) : SearchKey.buildAnd(keys);
    }

    /** The next atom, e.g. a sort key or an algorithm's name; a parenthesis ends it. */
    protected static String atom(ImapRequestLineReader request) throws DecodingException {
        String atom = request.consumeWord(ImapRequestLineReader.AtomCharValidator.INSTANCE, true);
        if (atom.isEmpty()) {
            throw new DecodingException(HumanReadableText.ILLEGAL_ARGUMENTS, "Missing argument");
        }
        return atom;
    }
}
