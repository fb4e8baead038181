package org.maildeck.assembly.mailbox.search;

import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.util.Collection;
import java.util.Iterator;

import org.apache.james.mailbox.AttachmentContentLoader;
import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.MessageUid;
import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.extractor.TextExtractor;
import org.apache.james.mailbox.model.SearchQuery;
import org.apache.james.mailbox.store.mail.model.MailboxMessage;

/**
 * A search that leaves out a message expunged by another session while the search reads it, as
 * Dovecot does, instead of failing the whole SEARCH ({@code NO SEARCH processing failed}, when
 * the store's "message was expunged" came as an unchecked exception) or logging an ERROR per
 * message (when it came as a MailboxException, which James's iterator logs and skips). A message
 * that is gone matches nothing, not even under NOT: the miss is carried up to the query's top
 * level, where the message is left out.
 */
class GoneMessagesUnmatched extends SentDateAsWritten {

    private int depth;

    GoneMessagesUnmatched(Iterator<MailboxMessage> messages, SearchQuery query, TextExtractor textExtractor,
                          AttachmentContentLoader attachments, MailboxSession session) {
        super(messages, query, textExtractor, attachments, session);
    }

    @Override
    public boolean isMatch(SearchQuery.Criterion criterion, MailboxMessage message, Collection<MessageUid> recentMessageUids) throws MailboxException {
        depth++;
        try {
            return super.isMatch(criterion, message, recentMessageUids);
        } catch (MailboxException | UncheckedIOException e) {
            if (depth == 1 && gone(e)) {
                return false;
            }
            throw e;
        } finally {
            depth--;
        }
    }

    private static boolean gone(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof NoSuchFileException) {
                return true;
            }
        }
        return false;
    }
}
