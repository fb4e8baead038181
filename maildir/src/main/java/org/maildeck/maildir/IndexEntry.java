package org.maildeck.maildir;

/**
 * What the folder index knows of one message without touching its file: where it is, its flags
 * (in the file name), sizes, internal date (the file's mtime, as Dovecot uses it) and mod-sequence.
 * {@code virtualSize} is -1 until it is known (a file written by someone else without {@code W=}).
 */
public record IndexEntry(long uid, String fileName, boolean inNew, long size, long virtualSize, long internalDate, long modSeq) {

    public String base() {
        return MaildirFileName.parse(fileName).base();
    }

    public String letters() {
        return MaildirFileName.parse(fileName).flagLetters().orElse("");
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
