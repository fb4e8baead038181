package org.maildeck.maildir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.TimeUnit;

/**
 * What a folder's sync compares to know that nothing changed: the mtimes of {@code new/} and
 * {@code cur/} and the uidlist file (inode, size, mtime). Three stat calls, made without the
 * folder's monitor.
 *
 * <p>A stamp taken when the index reflected the folder and its mtimes were settled (see
 * {@link FolderSync}, "When an mtime is trusted") stays equal to the folder's stamp for exactly as
 * long as nothing changes: every change, ours or another program's, renames, links or unlinks in
 * {@code new/} or {@code cur/}, which moves an mtime past the settled one, or rewrites the uidlist.
 */
record FolderStamp(long newMtime, long curMtime, UidListFile uidList) {

    /** The uidlist file as {@link DovecotUidList#refresh()} compares it. */
    record UidListFile(Object key, long size, long modified) {
    }

    /** The folder's stamp as it is now. */
    static FolderStamp read(Path directory) throws IOException {
        BasicFileAttributes list = Files.readAttributes(directory.resolve(DovecotUidList.FILE_NAME), BasicFileAttributes.class);
        return new FolderStamp(mtime(directory, "new"), mtime(directory, "cur"),
            new UidListFile(list.fileKey(), list.size(), list.lastModifiedTime().toMillis()));
    }

    /** In nanoseconds, as {@link FolderSync} keeps the mtimes it trusts. */
    private static long mtime(Path directory, String sub) throws IOException {
        return Files.getLastModifiedTime(directory.resolve(sub), LinkOption.NOFOLLOW_LINKS).to(TimeUnit.NANOSECONDS);
    }
}
