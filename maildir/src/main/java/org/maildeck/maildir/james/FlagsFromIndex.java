package org.maildeck.maildir.james;

import org.apache.james.mailbox.MessageManager;

/**
 * A Maildir mailbox whose messages' flags can be read as the folder's index holds them, without
 * looking at the directories first.
 *
 * <p>For the FETCH responses that tell a session of other sessions' flag changes (James's
 * {@code AbstractMailboxProcessor.addFlagsResponses}): those changes reached the session as
 * events, and each event is sent after the index holds its change (this process's changes are
 * made through the index; other programs' are found by a sync, which updates the index before
 * announcing them). James reads the flags once per UID range of those changes, and each read
 * synced the folder: under ten sessions on one busy folder, a listing of its directories per
 * range, since they change every few milliseconds (imap-stress's profile: 10 % of the server's
 * CPU). The session's next command syncs as before.
 */
public interface FlagsFromIndex {

    /** The same mailbox, whose {@code listMessagesMetadata} reads the index without syncing first. */
    MessageManager flagsFromIndex();
}
