package org.maildeck.imap.binary;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.apache.james.imap.api.display.HumanReadableText;
import org.apache.james.imap.api.message.BodyFetchElement;
import org.apache.james.imap.api.message.SectionType;
import org.apache.james.imap.decode.DecodingException;

/**
 * One fetch item of RFC 3516 §4.2: {@code BINARY[section-binary]<partial>},
 * {@code BINARY.PEEK[section-binary]<partial>} or {@code BINARY.SIZE[section-binary]}, where
 * {@code section-binary = "[" [section-part] "]"} and {@code section-part = nz-number *("." nz-number)}.
 *
 * <p>James fetches what an item needs as two hidden body sections that James knows, named so
 * that no client's item can take their names: the part's raw body ({@link #content()}, named
 * after the item itself) and the part's MIME header ({@link #mimeHeader()}), which holds its
 * Content-Transfer-Encoding. {@link DecodedSections} turns them into the item's answer. The
 * partial range is applied to the decoded data (§4.2), so it is no part of the hidden section.
 */
record BinaryItem(Kind kind, int[] path, Long firstOctet, Long octets) {

    enum Kind { BINARY, PEEK, SIZE }

    private static final Pattern ITEM = Pattern.compile("BINARY(\\.PEEK|\\.SIZE)?\\[([0-9.]*)](?:<(\\d{1,18})(?:\\.(\\d{1,18}))?>)?",
        Pattern.CASE_INSENSITIVE);
    private static final String MIME_HEADER = "BINARY.MIME[";

    /** Whether a fetch attribute is a BINARY one, to be read by {@link #parse}. */
    static boolean isBinary(String attribute) {
        return attribute.regionMatches(true, 0, "BINARY", 0, "BINARY".length());
    }

    /** The item {@code attribute} names; BAD for a malformed one. */
    static BinaryItem parse(String attribute) throws DecodingException {
        Matcher item = ITEM.matcher(attribute);
        if (!item.matches()) {
            throw malformed(attribute);
        }
        Kind kind = item.group(1) == null ? Kind.BINARY
            : item.group(1).equalsIgnoreCase(".PEEK") ? Kind.PEEK : Kind.SIZE;
        int[] path = sectionPart(item.group(2), attribute);
        Long first = item.group(3) == null ? null : Long.parseLong(item.group(3));
        Long octets = item.group(4) == null ? null : Long.parseLong(item.group(4));
        if (kind == Kind.SIZE && first != null || octets != null && octets == 0) {
            throw malformed(attribute);   // BINARY.SIZE takes no partial; a partial's length is an nz-number
        }
        return new BinaryItem(kind, path, first, octets);
    }

    /** The item a hidden content section stands for, if {@code sectionName} is one. */
    static Optional<BinaryItem> ofContent(String sectionName) {
        if (!isBinary(sectionName) || isMimeHeader(sectionName)) {
            return Optional.empty();
        }
        try {
            return Optional.of(parse(sectionName));
        } catch (DecodingException notOurs) {
            return Optional.empty();
        }
    }

    /** Whether {@code sectionName} is the hidden MIME header of a part. */
    static boolean isMimeHeader(String sectionName) {
        return sectionName.startsWith(MIME_HEADER);
    }

    private static int[] sectionPart(String section, String attribute) throws DecodingException {
        if (section.isEmpty()) {
            return new int[0];
        }
        String[] numbers = section.split("\\.", -1);
        int[] path = new int[numbers.length];
        for (int i = 0; i < numbers.length; i++) {
            if (numbers[i].isEmpty() || numbers[i].length() > 9 || Integer.parseInt(numbers[i]) == 0) {
                throw malformed(attribute);
            }
            path[i] = Integer.parseInt(numbers[i]);
        }
        return path;
    }

    private static DecodingException malformed(String attribute) {
        return new DecodingException(HumanReadableText.ILLEGAL_ARGUMENTS, "Invalid fetch attribute: " + attribute);
    }

    boolean peek() {
        return kind != Kind.BINARY;
    }

    boolean wholeMessage() {
        return path.length == 0;
    }

    String section() {
        return Arrays.stream(path).mapToObj(Integer::toString).collect(Collectors.joining("."));
    }

    /** The name of the item in the FETCH response: {@code BINARY[1.2]<0>}, {@code BINARY.SIZE[1.2]}. */
    String responseName() {
        if (kind == Kind.SIZE) {
            return "BINARY.SIZE[" + section() + "]";
        }
        return "BINARY[" + section() + "]" + (firstOctet == null ? "" : "<" + firstOctet + ">");
    }

    /** The hidden section of the part's raw body, named after the item (peek or not, one answer). */
    BodyFetchElement content() {
        String name = kind == Kind.SIZE ? responseName()
            : "BINARY[" + section() + "]" + (firstOctet == null ? "" : "<" + firstOctet + (octets == null ? "" : "." + octets) + ">");
        return new BodyFetchElement(name, SectionType.CONTENT, path, List.of(), null, null);
    }

    /** The hidden section of the part's MIME header; the whole message has none (it is not decoded). */
    BodyFetchElement mimeHeader() {
        return new BodyFetchElement(MIME_HEADER + section() + "]", SectionType.MIME, path, List.of(), null, null);
    }

    /** The bytes of the decoded part that the partial range selects (RFC 3501 §6.4.5, on the decoded data). */
    byte[] window(byte[] decoded) {
        if (firstOctet == null) {
            return decoded;
        }
        int from = (int) Math.min(firstOctet, decoded.length);
        int to = octets == null ? decoded.length : (int) Math.min(decoded.length, from + octets);
        return Arrays.copyOfRange(decoded, from, to);
    }

    @Override
    public String toString() {
        return responseName();
    }
}
