package org.maildeck.maildir;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongPredicate;

/**
 * A folder's {@link SearchedHeaderFields} by UID, so that a SEARCH FROM/TO/SUBJECT/... opens and
 * parses each message's header once, not once per SEARCH: Dovecot keeps such fields in
 * {@code dovecot.index.cache}. In memory, with the folder (dropped when an idle folder is).
 *
 * <p>Never stale: a message's content does not change under its file's base name, and an entry is
 * given only for an index entry of the same UID, base name, size and internal date as the one it
 * was read from; a UID that names another file (a uidlist rebuilt by another program) misses.
 * Entries of expunged messages are dropped by our expunges and, for other programs' expunges, when
 * the cache outgrows the index.
 */
final class HeaderFieldCache {

    /** Messages kept per folder: about 0.5 KB each. A larger folder's other messages are read every time, as before. */
    static final int MAX_MESSAGES = 20_000;
    /** A message whose kept fields are longer (a To: of thousands of addresses) is read every time. */
    static final int MAX_CHARACTERS = 16 * 1024;
    /** How many more entries than messages before the entries of expunged messages are looked for. */
    private static final int SLACK = 64;

    private record Kept(String base, long size, long internalDate, SearchedHeaderFields fields) {
    }

    private final Map<Long, Kept> byUid = new ConcurrentHashMap<>();

    /** The fields read from the message of this entry, or null when not kept. */
    SearchedHeaderFields get(IndexEntry entry) {
        Kept kept = byUid.get(entry.uid());
        if (kept == null || kept.size() != entry.size() || kept.internalDate() != entry.internalDate()
            || !hasBase(entry.fileName(), kept.base())) {
            return null;
        }
        return kept.fields();
    }

    private static boolean hasBase(String fileName, String base) {
        return fileName.startsWith(base)
            && (fileName.length() == base.length() || fileName.charAt(base.length()) == MaildirFileName.INFO_SEPARATOR.charAt(0));
    }

    /**
     * Keeps the fields read from the message of {@code entry}; {@code present} tells which UIDs
     * the folder still has, {@code messages} how many, for dropping the entries of expunged ones.
     */
    void put(IndexEntry entry, SearchedHeaderFields fields, int messages, LongPredicate present) {
        if (byUid.size() > messages + SLACK) {
            byUid.keySet().removeIf(uid -> !present.test(uid));
        }
        if (byUid.size() < MAX_MESSAGES && fields.characters() <= MAX_CHARACTERS) {
            byUid.put(entry.uid(), new Kept(entry.base(), entry.size(), entry.internalDate(), fields));
        }
    }

    void forget(long uid) {
        byUid.remove(uid);
    }

    int size() {
        return byUid.size();
    }
}
