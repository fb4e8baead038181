package org.maildeck.imap.sort;

import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.DecoderUtil;
import org.apache.james.mime4j.dom.address.Mailbox;
import org.apache.james.mime4j.dom.address.MailboxList;
import org.apache.james.mime4j.dom.field.DateTimeField;
import org.apache.james.mime4j.field.DateTimeFieldLenientImpl;
import org.apache.james.mime4j.field.address.LenientAddressParser;
import org.apache.james.mime4j.stream.RawField;

/**
 * What SORT and THREAD compare of one message (RFC 5256 §3, RFC 5957), each already as the key
 * its comparator orders: {@code from}, {@code to}, {@code cc} the i;ascii-casemap of the first
 * address's addr-mailbox; {@code displayFrom}, {@code displayTo} the i;unicode-casemap of its
 * display name, or of its addr-spec when it has none; {@code subject} the i;unicode-casemap of the
 * base subject; {@code sent} the Date: header in UTC milliseconds, or the internal date when the
 * header is missing or unreadable (§2.2). {@code references} are the parent message-ids THREAD
 * links (References:, or the first of In-Reply-To: when References: has none), oldest first.
 */
record SortFields(long uid, long arrival, long size, long sent, String from, String to, String cc,
                  String displayFrom, String displayTo, String subject, boolean isReplyOrForward,
                  String messageId, List<String> references) {

    /** The longest text kept of a field: enough to order by, and within what the cache file stores of one string. */
    static final int MAX_TEXT = 2000;
    /** Kept of a long References: header: the latest ids, the ones that say where a message hangs. */
    static final int MAX_REFERENCES = 64;
    private static final Pattern MSG_ID = Pattern.compile("<([^<>\\s]+)>");
    private static final Pattern FOLD = Pattern.compile("\r?\n(?=[ \t])");

    /** The fields of a message from its header fields ({@code name}, {@code value} pairs, the values unfolded or not). */
    static SortFields of(long uid, long arrival, long size, Iterable<? extends Field> header) {
        String from = null;
        String to = null;
        String cc = null;
        String subject = null;
        String date = null;
        String messageId = null;
        String references = null;
        String inReplyTo = null;
        for (Field field : header) {
            String value = field.value();
            switch (field.name().toLowerCase(Locale.ROOT)) {
                case "from" -> from = from == null ? value : from;
                case "to" -> to = to == null ? value : to;
                case "cc" -> cc = cc == null ? value : cc;
                case "subject" -> subject = subject == null ? value : subject;
                case "date" -> date = date == null ? value : date;
                case "message-id" -> messageId = messageId == null ? value : messageId;
                case "references" -> references = references == null ? value : references;
                case "in-reply-to" -> inReplyTo = inReplyTo == null ? value : inReplyTo;
                default -> {
                }
            }
        }
        Mailbox firstFrom = firstMailbox(from);
        Mailbox firstTo = firstMailbox(to);
        BaseSubject base = BaseSubject.of(decoded(subject));
        List<String> parents = messageIds(references);
        if (parents.isEmpty()) {
            parents = messageIds(inReplyTo).stream().limit(1).toList();
        }
        if (parents.size() > MAX_REFERENCES) {
            parents = parents.subList(parents.size() - MAX_REFERENCES, parents.size());
        }
        List<String> ownId = messageIds(messageId);
        return new SortFields(uid, arrival, size, sentDate(date).orElse(arrival),
            limited(addrMailbox(firstFrom)), limited(addrMailbox(firstTo)), limited(addrMailbox(firstMailbox(cc))),
            limited(display(firstFrom)), limited(display(firstTo)), limited(base.comparable()), base.isReplyOrForward(),
            ownId.isEmpty() ? "" : limited(ownId.get(0)), parents.stream().map(SortFields::limited).toList());
    }

    /** A message the store could not give (expunged meanwhile): sorted as having no fields, by its arrival. */
    static SortFields unknown(long uid) {
        return new SortFields(uid, 0, 0, 0, "", "", "", "", "", "", false, "", List.of());
    }

    private static String limited(String text) {
        return text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT);
    }

    /** One header field. */
    record Field(String name, String value) {
    }

    private static String unfolded(String value) {
        return value.indexOf('\n') < 0 ? value : FOLD.matcher(value).replaceAll("");
    }

    private static String decoded(String value) {
        return value == null ? "" : withoutEncodedWords(unfolded(value));
    }

    /** RFC 2047 encoded-words decoded; most values have none, and are left alone. */
    private static String withoutEncodedWords(String value) {
        return value.contains("=?") ? DecoderUtil.decodeEncodedWords(value, DecodeMonitor.SILENT) : value;
    }

    private static Mailbox firstMailbox(String addresses) {
        if (addresses == null) {
            return null;
        }
        try {
            MailboxList mailboxes = LenientAddressParser.DEFAULT.parseAddressList(unfolded(addresses)).flatten();
            return mailboxes.isEmpty() ? null : mailboxes.get(0);
        } catch (RuntimeException unreadable) {
            return null;
        }
    }

    private static String addrMailbox(Mailbox mailbox) {
        return mailbox == null ? "" : Casemap.ascii(mailbox.getLocalPart());
    }

    private static String display(Mailbox mailbox) {
        if (mailbox == null) {
            return "";
        }
        String name = mailbox.getName();
        if (name == null || name.isBlank()) {
            return Casemap.unicode(mailbox.getAddress());
        }
        return Casemap.unicode(withoutEncodedWords(name).strip());
    }

    private static Optional<Long> sentDate(String value) {
        if (value == null) {
            return Optional.empty();
        }
        try {
            DateTimeField field = DateTimeFieldLenientImpl.PARSER.parse(new RawField("Date", unfolded(value).strip()), DecodeMonitor.SILENT);
            Date date = field.getDate();
            return date == null ? Optional.empty() : Optional.of(date.getTime());
        } catch (RuntimeException unreadable) {
            return Optional.empty();
        }
    }

    static List<String> messageIds(String value) {
        List<String> ids = new ArrayList<>();
        if (value == null) {
            return ids;
        }
        Matcher id = MSG_ID.matcher(unfolded(value));
        while (id.find()) {
            ids.add(id.group(1));
        }
        return ids;
    }
}
