package org.maildeck.imap.sort;

import java.text.Normalizer;

/** The comparators RFC 5256 names for sort keys, as keys computed once per message. */
final class Casemap {

    private Casemap() {
    }

    /** i;ascii-casemap (RFC 4790 §9.2): ASCII letters compared as upper case, the rest as octets. */
    static String ascii(String text) {
        StringBuilder mapped = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            mapped.append(c >= 'a' && c <= 'z' ? (char) (c - 'a' + 'A') : c);
        }
        return mapped.toString();
    }

    /** i;unicode-casemap (RFC 5051): each character title-cased, then the compatibility decomposition (NFKD). */
    static String unicode(String text) {
        if (isAscii(text)) {
            return ascii(text); // an ASCII letter's title case is its upper case, and NFKD leaves ASCII as it is
        }
        StringBuilder titled = new StringBuilder(text.length());
        text.codePoints().map(Character::toTitleCase).forEach(titled::appendCodePoint);
        return Normalizer.normalize(titled, Normalizer.Form.NFKD);
    }

    private static boolean isAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }
}
