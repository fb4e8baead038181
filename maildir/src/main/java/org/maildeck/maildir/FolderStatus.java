package org.maildeck.maildir;

/**
 * What a STATUS asks of a folder nearly every time (MESSAGES, UNSEEN, UIDNEXT, UIDVALIDITY), read
 * from the folder's index in one go after its sync ({@link MaildirFolder#status()}), as one
 * consistent snapshot: no other change to the folder in between. James's STATUS gets the same
 * figures through a mailbox lookup, a message manager, its rights check and a mapper call per
 * figure, each a hop to another thread.
 *
 * <p>{@code uidNext} is the uidlist's next UID: James's own (the last UID assigned + 1, or 1
 * when none was) is the same number, so both paths answer alike.
 */
public record FolderStatus(long messages, long unseen, long uidNext, long uidValidity) {

    /** Under the folder's monitor, after its sync. */
    static FolderStatus count(Iterable<IndexEntry> entries, long uidNext, long uidValidity) {
        long messages = 0;
        long unseen = 0;
        for (IndexEntry entry : entries) {
            messages++;
            if (isUnseen(entry)) {
                unseen++;
            }
        }
        return new FolderStatus(messages, unseen, uidNext, uidValidity);
    }

    public static boolean isUnseen(IndexEntry entry) {
        return !entry.hasLetter('S');
    }
}
