package org.maildeck.imap.list;

import java.util.List;

import org.apache.james.imap.api.ImapCommand;
import org.apache.james.imap.api.ImapConstants;
import org.apache.james.imap.api.Tag;
import org.apache.james.imap.api.message.request.ImapRequest;
import org.apache.james.imap.message.request.ListRequest;

/** {@code LIST ref (pattern1 pattern2 ...)}: James's request for each pattern, all with the command's tag. */
public record ListOfPatternsRequest(Tag tag, List<ListRequest> perPattern) implements ImapRequest {

    @Override
    public ImapCommand getCommand() {
        return ImapConstants.LIST_COMMAND;
    }

    @Override
    public Tag getTag() {
        return tag;
    }
}
