package org.maildeck.contentfilter.quarantine;

import java.time.Instant;
import java.util.List;

import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.NamedQuery;
import javax.persistence.Table;

/** One row of the quarantine index; the message itself is a file named after {@link #id}. */
@Entity(name = "QuarantineIndexRow")
@Table(name = "MAILDECK_QUARANTINE")
@NamedQuery(name = "listQuarantine", query = "SELECT record FROM QuarantineIndexRow record ORDER BY record.quarantinedAt, record.id")
@NamedQuery(name = "quarantineHoldings", query = "SELECT record.category, COUNT(record), SUM(record.size), MIN(record.quarantinedAt)"
    + " FROM QuarantineIndexRow record GROUP BY record.category")
class QuarantineIndexRow {
    private static final String RECIPIENT_SEPARATOR = ",";

    @Id
    @Column(name = "ID", length = 64, nullable = false)
    private String id;

    @Column(name = "QUARANTINED_AT", nullable = false)
    private long quarantinedAt;

    @Column(name = "CATEGORY", length = 32, nullable = false)
    private String category;

    @Column(name = "REASON", length = 1024, nullable = false)
    private String reason;

    @Column(name = "SENDER", length = 512, nullable = false)
    private String sender;

    @Column(name = "RECIPIENTS", length = 16000, nullable = false)
    private String recipients;

    @Column(name = "SIZE_BYTES", nullable = false)
    private long size;

    protected QuarantineIndexRow() {
    }

    QuarantineIndexRow(QuarantineEntry entry) {
        this.id = entry.id();
        this.quarantinedAt = entry.time().toEpochMilli();
        this.category = entry.category();
        this.reason = entry.reason();
        this.sender = entry.sender();
        this.recipients = String.join(RECIPIENT_SEPARATOR, entry.recipients());
        this.size = entry.size();
    }

    QuarantineEntry toEntry() {
        List<String> recipientList = recipients.isEmpty() ? List.of() : List.of(recipients.split(RECIPIENT_SEPARATOR));
        return new QuarantineEntry(id, Instant.ofEpochMilli(quarantinedAt), category, reason, sender, recipientList, size);
    }
}
