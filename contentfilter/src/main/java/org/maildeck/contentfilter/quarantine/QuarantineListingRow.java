package org.maildeck.contentfilter.quarantine;

import java.util.List;

import javax.management.ConstructorParameters;

/** One held message as JMX tools show it (a row of {@link QuarantineMXBean#listMessages()}). */
public class QuarantineListingRow {

    private final String id;
    private final String time;
    private final String category;
    private final String reason;
    private final String sender;
    private final List<String> recipients;
    private final long sizeBytes;

    @ConstructorParameters({"id", "time", "category", "reason", "sender", "recipients", "sizeBytes"})
    public QuarantineListingRow(String id, String time, String category, String reason, String sender, List<String> recipients, long sizeBytes) {
        this.id = id;
        this.time = time;
        this.category = category;
        this.reason = reason;
        this.sender = sender;
        this.recipients = List.copyOf(recipients);
        this.sizeBytes = sizeBytes;
    }

    public static QuarantineListingRow of(QuarantineEntry entry) {
        return new QuarantineListingRow(entry.id(), entry.time().toString(), entry.category(), entry.reason(), entry.sender(),
            entry.recipients(), entry.size());
    }

    public String getId() {
        return id;
    }

    /** When it was caught, ISO-8601 in UTC. */
    public String getTime() {
        return time;
    }

    public String getCategory() {
        return category;
    }

    public String getReason() {
        return reason;
    }

    /** Empty for the null sender. */
    public String getSender() {
        return sender;
    }

    public List<String> getRecipients() {
        return recipients;
    }

    public long getSizeBytes() {
        return sizeBytes;
    }
}
