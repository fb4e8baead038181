package org.maildeck.overrides;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.DecoderUtil;

/**
 * The comments that name the bare addresses of an address header, as in
 * {@code From: user@domain (Real Name)}: the old RFC 822 way of giving a personal name, which
 * mime4j's address parser drops. Like Dovecot's message-address parser, the last comment of an
 * address without a display name is its name; an address written with a display name or in
 * angle brackets keeps what the parser found.
 */
public final class AddressComments {

    private final Map<String, String> nameByAddress;

    private AddressComments(Map<String, String> nameByAddress) {
        this.nameByAddress = nameByAddress;
    }

    /** The comments of the bare addresses of an unfolded header value. */
    public static AddressComments of(String headerValue) {
        Map<String, String> names = new HashMap<>();
        for (String item : topLevelItems(headerValue)) {
            Scanned scanned = scan(item);
            String address = withoutGroupSyntax(scanned.outsideComments().trim());
            if (scanned.lastComment() != null && !address.isEmpty() && address.indexOf('<') < 0 && address.indexOf(' ') < 0) {
                String name = DecoderUtil.decodeEncodedWords(scanned.lastComment().trim(), DecodeMonitor.SILENT);
                if (!name.isEmpty()) {
                    names.putIfAbsent(address.toLowerCase(Locale.ROOT), name);
                }
            }
        }
        return new AddressComments(names);
    }

    /** The name that a comment gives {@code address} ({@code local@domain}), if any. */
    public Optional<String> nameOf(String address) {
        return address == null ? Optional.empty() : Optional.ofNullable(nameByAddress.get(address.toLowerCase(Locale.ROOT)));
    }

    private record Scanned(String outsideComments, String lastComment) {
    }

    /** The text outside comments and quoted strings' delimiters kept, and the text of the last top-level comment. */
    private static Scanned scan(String item) {
        StringBuilder outside = new StringBuilder();
        StringBuilder comment = new StringBuilder();
        String lastComment = null;
        int depth = 0;
        boolean quoted = false;
        for (int i = 0; i < item.length(); i++) {
            char c = item.charAt(i);
            if (c == '\\' && i + 1 < item.length() && (quoted || depth > 0)) {
                if (depth > 0) {
                    comment.append(item.charAt(++i));
                } else {
                    outside.append(c).append(item.charAt(++i));
                }
            } else if (depth > 0) {
                if (c == '(') {
                    depth++;
                    comment.append(c);
                } else if (c == ')' && --depth == 0) {
                    lastComment = comment.toString();
                    comment.setLength(0);
                    outside.append(' ');
                } else {
                    comment.append(c);
                }
            } else if (c == '"') {
                quoted = !quoted;
                outside.append(c);
            } else if (c == '(' && !quoted) {
                depth = 1;
            } else {
                outside.append(c);
            }
        }
        return new Scanned(outside.toString(), lastComment);
    }

    /** The value cut at commas outside quoted strings, comments and angle brackets. */
    private static List<String> topLevelItems(String value) {
        List<String> items = new ArrayList<>();
        int depth = 0;
        boolean quoted = false;
        boolean angled = false;
        int start = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' && (quoted || depth > 0)) {
                i++;
            } else if (quoted) {
                quoted = c != '"';
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && depth > 0) {
                depth--;
            } else if (depth == 0 && c == '"') {
                quoted = true;
            } else if (depth == 0 && c == '<') {
                angled = true;
            } else if (depth == 0 && c == '>') {
                angled = false;
            } else if (depth == 0 && !angled && (c == ',' || c == ';')) {
                items.add(value.substring(start, i));
                start = i + 1;
            }
        }
        items.add(value.substring(start));
        return items;
    }

    /** An item of a group without the group's {@code name:} before its first address. */
    private static String withoutGroupSyntax(String item) {
        int colon = item.indexOf(':');
        return colon < 0 || item.indexOf('@') < colon ? item : item.substring(colon + 1).trim();
    }
}
