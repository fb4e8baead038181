package org.maildeck.imap.sort;

import java.util.Comparator;

/** A message's fields with the number the answer gives it (sequence number or UID), in mailbox order. */
record Numbered(long number, SortFields fields) {

    /** By sent date, ties by mailbox order (RFC 5256 §2.2, §3 "sequence number"). */
    static final Comparator<Numbered> BY_SENT_DATE = Comparator.comparingLong((Numbered message) -> message.fields().sent())
        .thenComparingLong(Numbered::number);
}
