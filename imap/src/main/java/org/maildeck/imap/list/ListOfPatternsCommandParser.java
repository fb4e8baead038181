package org.maildeck.imap.list;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import javax.inject.Inject;

import org.apache.james.imap.api.ImapConstants;
import org.apache.james.imap.api.ImapMessage;
import org.apache.james.imap.api.Tag;
import org.apache.james.imap.api.display.HumanReadableText;
import org.apache.james.imap.api.message.response.StatusResponseFactory;
import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.decode.DecodingException;
import org.apache.james.imap.decode.ImapRequestLineReader;
import org.apache.james.imap.decode.parser.ListCommandParser;
import org.apache.james.imap.message.request.ListRequest;

/**
 * James's LIST parser, taking also a list of patterns in place of the one pattern:
 * {@code LIST "" (INBOX Drafts.*)} (RFC 5258 §3, "mbox-or-pat = list-mailbox / patterns"). James
 * 3.8.1 announces LIST-EXTENDED but reads only one pattern and answers a list with
 * {@code BAD Illegal arguments}. No upstream change for it was found (LIST-EXTENDED itself came
 * with linagora/james-project#4675, "Implement IMAP list extension (RFC-5258)", one pattern only).
 *
 * <p>A list of two or more patterns becomes a {@link ListOfPatternsRequest}: one of James's
 * {@link ListRequest}s per pattern, with the command's reference, options and tag. Inside this
 * parser the patterns travel from {@link #listMailbox} to {@link #decode} joined by NUL, which
 * no pattern can hold (a list-mailbox is quoted, atom or literal characters, never NUL).
 */
public class ListOfPatternsCommandParser extends ListCommandParser {

    private static final String SEPARATOR = "\0";
    /** RFC 3501's list-char: James's atom characters (']' included) and the wildcards, as its private validator of LIST. */
    private static final ImapRequestLineReader.CharacterValidator LIST_CHAR = chr ->
        ImapRequestLineReader.isListWildcard(chr) || ImapRequestLineReader.AtomCharValidator.INSTANCE.isValid(chr);

    @Inject
    public ListOfPatternsCommandParser(StatusResponseFactory statusResponseFactory) {
        super(statusResponseFactory);
    }

    @Override
    public String listMailbox(ImapRequestLineReader request) throws DecodingException {
        if (request.nextWordChar() != '(') {
            return super.listMailbox(request);
        }
        request.consumeChar('(');
        List<String> patterns = new ArrayList<>();
        while (request.nextWordChar() != ')') {
            String pattern = patternInList(request);
            if (pattern.contains(SEPARATOR)) {
                throw new DecodingException(HumanReadableText.ILLEGAL_ARGUMENTS, "NUL in a mailbox pattern");
            }
            patterns.add(pattern);
        }
        request.consumeChar(')');
        if (patterns.isEmpty()) {
            throw new DecodingException(HumanReadableText.ILLEGAL_ARGUMENTS, "Empty list of mailbox patterns");
        }
        return String.join(SEPARATOR, patterns);
    }

    /** One list-mailbox of the list: as James reads it, except that an atom ends at the list's closing parenthesis. */
    private String patternInList(ImapRequestLineReader request) throws DecodingException {
        char next = request.nextWordChar();
        if (next == '"' || next == '{') {
            return super.listMailbox(request);
        }
        String atom = request.consumeWord(LIST_CHAR, true);
        if (atom.isEmpty()) {
            throw new DecodingException(HumanReadableText.ILLEGAL_ARGUMENTS, "Empty mailbox pattern");
        }
        return atom;
    }

    @Override
    protected ImapMessage decode(ImapRequestLineReader request, Tag tag, boolean useUids, ImapSession session) throws DecodingException {
        ImapMessage decoded = super.decode(request, tag, useUids, session);
        if (decoded instanceof ListRequest list && list.getMailboxPattern().contains(SEPARATOR)) {
            return new ListOfPatternsRequest(tag, Arrays.stream(list.getMailboxPattern().split(SEPARATOR, -1))
                .map(pattern -> new ListRequest(ImapConstants.LIST_COMMAND, list.getBaseReferenceName(), pattern, tag,
                    list.getSelectOptions(), list.getReturnOptions(), list.getStatusDataItems()))
                .toList());
        }
        return decoded;
    }
}
