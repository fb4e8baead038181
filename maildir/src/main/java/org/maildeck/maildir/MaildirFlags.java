package org.maildeck.maildir;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import javax.mail.Flags;

/**
 * Translation between IMAP flags and the letters of a Maildir file name's info part:
 * D(raft) F(lagged) R(eplied) S(een) T(rashed, i.e. \Deleted), keywords as 'a'..'z' through
 * {@link DovecotKeywords}. Letters this store does not map (P, or a keyword letter missing from
 * the keywords file) are kept as they are when the flags change.
 */
public final class MaildirFlags {

    private MaildirFlags() {
    }

    public static Flags toFlags(String letters, DovecotKeywords keywords) {
        Flags flags = new Flags();
        for (char letter : letters.toCharArray()) {
            switch (letter) {
                case 'D' -> flags.add(Flags.Flag.DRAFT);
                case 'F' -> flags.add(Flags.Flag.FLAGGED);
                case 'R' -> flags.add(Flags.Flag.ANSWERED);
                case 'S' -> flags.add(Flags.Flag.SEEN);
                case 'T' -> flags.add(Flags.Flag.DELETED);
                default -> keywords.keywordOf(letter).ifPresent(flags::add);
            }
        }
        return flags;
    }

    public static List<String> userFlags(Flags flags) {
        List<String> result = new ArrayList<>();
        for (String flag : flags.getUserFlags()) {
            result.add(flag);
        }
        return result;
    }

    /**
     * The letters for {@code flags}, in ASCII order as Maildir requires. Every user flag must
     * already have a letter ({@link DovecotKeywords#ensure}).
     */
    public static String toLetters(Flags flags, String previousLetters, DovecotKeywords keywords) {
        TreeSet<Character> letters = new TreeSet<>();
        for (char kept : previousLetters.toCharArray()) {
            boolean managed = "DFRST".indexOf(kept) >= 0
                || (kept >= 'a' && kept <= 'z' && keywords.keywordOf(kept).isPresent());
            if (!managed) {
                letters.add(kept);
            }
        }
        if (flags.contains(Flags.Flag.DRAFT)) {
            letters.add('D');
        }
        if (flags.contains(Flags.Flag.FLAGGED)) {
            letters.add('F');
        }
        if (flags.contains(Flags.Flag.ANSWERED)) {
            letters.add('R');
        }
        if (flags.contains(Flags.Flag.SEEN)) {
            letters.add('S');
        }
        if (flags.contains(Flags.Flag.DELETED)) {
            letters.add('T');
        }
        for (String keyword : flags.getUserFlags()) {
            letters.add(keywords.letterOf(keyword)
                .orElseThrow(() -> new IllegalStateException("keyword without a letter: " + keyword)));
        }
        StringBuilder result = new StringBuilder();
        letters.forEach(result::append);
        return result.toString();
    }
}
