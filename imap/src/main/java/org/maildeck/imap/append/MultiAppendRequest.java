package org.maildeck.imap.append;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;

import org.apache.james.imap.api.ImapCommand;
import org.apache.james.imap.api.ImapConstants;
import org.apache.james.imap.api.Tag;
import org.apache.james.imap.api.message.request.ImapRequest;
import org.apache.james.imap.message.request.AppendRequest;

/** {@code APPEND mailbox msg1 msg2 ...} (RFC 3502): James's request for each message, all with the command's tag. */
public record MultiAppendRequest(String mailboxName, Tag tag, List<AppendRequest> messages) implements ImapRequest, Closeable {

    @Override
    public ImapCommand getCommand() {
        return ImapConstants.APPEND_COMMAND;
    }

    @Override
    public Tag getTag() {
        return tag;
    }

    /**
     * Literals read into memory need no closing; spooled ones all lie in the one temp file of the
     * command, which closing any of them deletes: the first is closed, once.
     */
    @Override
    public void close() throws IOException {
        messages.get(0).close();
    }
}
