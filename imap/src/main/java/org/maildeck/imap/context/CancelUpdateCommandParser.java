package org.maildeck.imap.context;

import java.util.ArrayList;
import java.util.List;

import javax.inject.Inject;

import org.apache.james.imap.api.ImapCommand;
import org.apache.james.imap.api.ImapMessage;
import org.apache.james.imap.api.Tag;
import org.apache.james.imap.api.display.HumanReadableText;
import org.apache.james.imap.api.message.response.StatusResponseFactory;
import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.decode.DecodingException;
import org.apache.james.imap.decode.ImapRequestLineReader;
import org.apache.james.imap.decode.base.AbstractImapCommandParser;

/** {@code CANCELUPDATE 1*(SP quoted)} (RFC 5267 §4.3, §5): the tags of the updating searches to end. */
public class CancelUpdateCommandParser extends AbstractImapCommandParser {

    static final ImapCommand CANCELUPDATE = ImapCommand.selectedStateCommand("CANCELUPDATE");

    @Inject
    public CancelUpdateCommandParser(StatusResponseFactory responses) {
        super(CANCELUPDATE, responses);
    }

    @Override
    protected ImapMessage decode(ImapRequestLineReader request, Tag tag, ImapSession session) throws DecodingException {
        List<Tag> tags = new ArrayList<>();
        do {
            if (request.nextWordChar() != '"') {
                throw new DecodingException(HumanReadableText.ILLEGAL_ARGUMENTS, "CANCELUPDATE takes quoted tags");
            }
            tags.add(new Tag(request.astring()));
        } while (request.nextChar() == ' ');
        request.eol();
        return new CancelUpdateRequest(tag, tags);
    }
}
