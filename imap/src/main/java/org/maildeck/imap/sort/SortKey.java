package org.maildeck.imap.sort;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** The sort keys of RFC 5256 §3 and RFC 5957 (DISPLAYFROM, DISPLAYTO), each the order it puts messages in. */
enum SortKey {
    ARRIVAL(Comparator.comparingLong(SortFields::arrival)),
    CC(Comparator.comparing(SortFields::cc)),
    DATE(Comparator.comparingLong(SortFields::sent)),
    FROM(Comparator.comparing(SortFields::from)),
    SIZE(Comparator.comparingLong(SortFields::size)),
    SUBJECT(Comparator.comparing(SortFields::subject)),
    TO(Comparator.comparing(SortFields::to)),
    DISPLAYFROM(Comparator.comparing(SortFields::displayFrom)),
    DISPLAYTO(Comparator.comparing(SortFields::displayTo));

    private final Comparator<SortFields> order;

    SortKey(Comparator<SortFields> order) {
        this.order = order;
    }

    static Optional<SortKey> named(String name) {
        for (SortKey key : values()) {
            if (key.name().equalsIgnoreCase(name)) {
                return Optional.of(key);
            }
        }
        return Optional.empty();
    }

    /** One key of a SORT command, REVERSE or not. */
    record Criterion(SortKey key, boolean reverse) {
        Comparator<SortFields> order() {
            return reverse ? key.order.reversed() : key.order;
        }
    }

    /** The order of a SORT command's criteria, ties broken by mailbox order (§3: "by sequence number"). */
    static Comparator<Numbered> order(List<Criterion> criteria) {
        Comparator<SortFields> byFields = (one, other) -> 0;
        for (Criterion criterion : criteria) {
            byFields = byFields.thenComparing(criterion.order());
        }
        return Comparator.comparing(Numbered::fields, byFields).thenComparingLong(Numbered::number);
    }
}
