package org.maildeck.maildir;

/**
 * What the folder index knows of one message without touching its file: where it is, its flags
 * (in the file name), sizes, internal date (the file's mtime, as Dovecot uses it) and mod-sequence.
 * {@code virtualSize} is -1 until it is known (a file written by someone else without {@code W=}).
 */
public record IndexEntry(long uid, String fileName, boolean inNew, long size, long virtualSize, long internalDate, long modSeq) {

    /**
     * As {@code MaildirFileName.parse(fileName).base()}, without the parse's objects: asked for
     * every entry the index keeps or drops, and by each sync.
     */
    public String base() {
        int info = fileName.indexOf(':');
        return info < 0 ? fileName : fileName.substring(0, info);
    }

    /**
     * As {@code MaildirFileName.parse(fileName).flagLetters().orElse("")}, without the parse's
     * objects: asked for every message of a FETCH, STORE, EXPUNGE and flag update (the parse was
     * 5 % of the bytes allocated under imap-stress).
     */
    public String letters() {
        int info = fileName.indexOf(':');
        return info >= 0 && fileName.startsWith(MaildirFileName.INFO_SEPARATOR, info)
            ? fileName.substring(info + MaildirFileName.INFO_SEPARATOR.length()) : "";
    }

    /** Whether the file name carries the flag letter (Maildir's info {@code :2,}). */
    public boolean hasLetter(char letter) {
        int info = fileName.indexOf(':');
        return info >= 0 && fileName.startsWith(MaildirFileName.INFO_SEPARATOR, info)
            && fileName.indexOf(letter, info + MaildirFileName.INFO_SEPARATOR.length()) >= 0;
    }

    public String relativePath() {
        return (inNew ? "new/" : "cur/") + fileName;
    }

    IndexEntry movedTo(String newFileName, boolean nowInNew, long newModSeq) {
        return new IndexEntry(uid, newFileName, nowInNew, size, virtualSize, internalDate, newModSeq);
    }

    IndexEntry withVirtualSize(long knownVirtualSize) {
        return new IndexEntry(uid, fileName, inNew, size, knownVirtualSize, internalDate, modSeq);
    }

    IndexEntry withModSeq(long newModSeq) {
        return new IndexEntry(uid, fileName, inNew, size, virtualSize, internalDate, newModSeq);
    }
}
