package org.maildeck.imap.binary;

import java.util.ArrayList;
import java.util.List;

import org.apache.james.imap.decode.DecodingException;

/**
 * The arguments of a FETCH command, {@code sequence-set SP ("ALL" / "FULL" / "FAST" / fetch-att /
 * "(" fetch-att *(SP fetch-att) ")") [SP modifiers]}, cut into its BINARY items and the rest, so
 * that James's parser reads the rest as it always did. Attributes are split on the spaces outside
 * square brackets ({@code BODY[HEADER.FIELDS (A B)]} is one attribute).
 */
record FetchLine(List<BinaryItem> binaryItems, String withoutBinaryItems) {

    /** The line after the command's name, the space that follows the name included or not. */
    static FetchLine of(String line) throws DecodingException {
        String arguments = line.stripLeading();
        int afterSet = arguments.indexOf(' ');
        if (afterSet < 0) {
            return new FetchLine(List.of(), arguments);
        }
        String sequenceSet = arguments.substring(0, afterSet);
        String rest = arguments.substring(afterSet + 1).stripLeading();
        boolean listed = rest.startsWith("(");
        int end = listed ? endOfList(rest) : endOfAttribute(rest, 0);
        if (end < 0) {
            return new FetchLine(List.of(), arguments);
        }
        String attributes = listed ? rest.substring(1, end) : rest.substring(0, end);
        String modifiers = rest.substring(listed ? end + 1 : end);
        List<BinaryItem> binary = new ArrayList<>();
        List<String> others = new ArrayList<>();
        for (String attribute : split(attributes)) {
            if (BinaryItem.isBinary(attribute)) {
                binary.add(BinaryItem.parse(attribute));
            } else {
                others.add(attribute);
            }
        }
        if (binary.isEmpty()) {
            return new FetchLine(List.of(), arguments);
        }
        return new FetchLine(List.copyOf(binary), sequenceSet + " (" + String.join(" ", others) + ")" + modifiers);
    }

    /** The index of the parenthesis that closes the list opened at 0, -1 if none. */
    private static int endOfList(String text) {
        boolean inSection = false;
        for (int i = 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '[' || c == ']') {
                inSection = c == '[';
            } else if (c == ')' && !inSection) {
                return i;
            }
        }
        return -1;
    }

    /** The index just after the attribute that starts at {@code from}. */
    private static int endOfAttribute(String text, int from) {
        boolean inSection = false;
        int i = from;
        for (; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '[' || c == ']') {
                inSection = c == '[';
            } else if ((c == ' ' || c == ')') && !inSection) {
                break;
            }
        }
        return i;
    }

    private static List<String> split(String attributes) {
        List<String> split = new ArrayList<>();
        int i = 0;
        while (i < attributes.length()) {
            if (attributes.charAt(i) == ' ') {
                i++;
                continue;
            }
            int end = endOfAttribute(attributes, i);
            if (end == i) {
                end++;   // a stray ')': James's parser refuses it
            }
            split.add(attributes.substring(i, end));
            i = end;
        }
        return split;
    }
}
