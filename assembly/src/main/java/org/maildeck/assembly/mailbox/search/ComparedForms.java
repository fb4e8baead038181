package org.maildeck.assembly.mailbox.search;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import org.apache.james.mime4j.dom.address.Address;
import org.apache.james.mime4j.dom.address.Group;
import org.apache.james.mime4j.dom.address.Mailbox;
import org.apache.james.mime4j.field.address.AddressFormatter;
import org.apache.james.mime4j.field.address.LenientAddressParser;
import org.apache.james.mime4j.util.MimeUtil;

/**
 * What James 3.8.1's {@code MessageSearches} compares a search string with, for one header field
 * value, upper-cased as it does ({@link Locale#US}): the value decoded (SUBJECT, HEADER), each
 * address of an address field written out and decoded, and the raw value (FROM, TO, CC, BCC).
 * Each is a function of the value alone, so it is worked out once per value and remembered: a
 * SEARCH FROM parsed every message's From: field again (with the fields cached, that parse was
 * the better part of what SEARCH cost).
 */
final class ComparedForms {

    /** Values remembered per kind; beyond this the memory is emptied and filled again. */
    private static final int MAX_VALUES = 10_000;
    /**
     * Longer values are worked out each time: with the count above, this bounds the memory to a
     * few MiB whatever the header fields (a Subject: of 16 K characters kept 10,000 times would
     * otherwise hold hundreds of MiB); header values are mostly far shorter.
     */
    static final int MAX_REMEMBERED_LENGTH = 512;

    private static final Map<String, String> DECODED = new ConcurrentHashMap<>();
    private static final Map<String, List<String>> MAILBOXES = new ConcurrentHashMap<>();
    private static final Map<String, String> RAW = new ConcurrentHashMap<>();

    private ComparedForms() {
    }

    /** The value with its encoded words decoded, upper-cased. */
    static String decoded(String value) {
        return remembered(DECODED, value, v -> {
            String decoded = MimeUtil.unscrambleHeaderValue(v);
            return decoded == null ? "" : decoded.toUpperCase(Locale.US);
        });
    }

    /** Each mailbox of the address list (a group's members included), written out, decoded and upper-cased. */
    static List<String> mailboxes(String value) {
        return remembered(MAILBOXES, value, v -> {
            List<String> written = new ArrayList<>();
            for (Address address : LenientAddressParser.DEFAULT.parseAddressList(v)) {
                if (address instanceof Mailbox mailbox) {
                    written.add(writtenOut(mailbox));
                } else if (address instanceof Group group) {
                    for (Mailbox mailbox : group.getMailboxes()) {
                        written.add(writtenOut(mailbox));
                    }
                }
            }
            return List.copyOf(written);
        });
    }

    /** The value as it is, upper-cased. */
    static String raw(String value) {
        return remembered(RAW, value, v -> v.toUpperCase(Locale.US));
    }

    /** Whether the decoded form of this value is remembered, for tests. */
    static boolean decodedFormRemembered(String value) {
        return DECODED.containsKey(value);
    }

    private static String writtenOut(Mailbox mailbox) {
        return MimeUtil.unscrambleHeaderValue(AddressFormatter.DEFAULT.encode(mailbox)).toUpperCase(Locale.US);
    }

    private static <T> T remembered(Map<String, T> memory, String value, Function<String, T> form) {
        if (value.length() > MAX_REMEMBERED_LENGTH) {
            return form.apply(value);
        }
        T known = memory.get(value);
        if (known != null) {
            return known;
        }
        if (memory.size() >= MAX_VALUES) {
            memory.clear();
        }
        T computed = form.apply(value);
        memory.put(value, computed);
        return computed;
    }
}
