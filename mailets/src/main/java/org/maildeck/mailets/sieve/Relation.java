package org.maildeck.mailets.sieve;

import java.util.Locale;
import java.util.Optional;

/** RFC 5231's relational operators, for {@code :value} and {@code :count}. */
enum Relation {
    GT, GE, LT, LE, EQ, NE;

    static Optional<Relation> named(String name) {
        try {
            return Optional.of(valueOf(name.toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException unknown) {
            return Optional.empty();
        }
    }

    /** Whether the relation holds for a comparison's result ({@code compare(value, key)}). */
    boolean holds(int comparison) {
        return switch (this) {
            case GT -> comparison > 0;
            case GE -> comparison >= 0;
            case LT -> comparison < 0;
            case LE -> comparison <= 0;
            case EQ -> comparison == 0;
            case NE -> comparison != 0;
        };
    }
}
