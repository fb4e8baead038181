package org.maildeck.contentfilter.quarantine;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What the quarantine knows about one message: when and why it was caught, and the envelope it
 * needs to be released to its recipients. {@code sender} is empty for the null sender {@code <>}.
 */
public record QuarantineEntry(String id, Instant time, String category, String reason, String sender,
                              List<String> recipients, long size) {
    public QuarantineEntry {
        Objects.requireNonNull(id);
        Objects.requireNonNull(time);
        Objects.requireNonNull(category);
        Objects.requireNonNull(reason);
        Objects.requireNonNull(sender);
        recipients = List.copyOf(recipients);
    }
}
