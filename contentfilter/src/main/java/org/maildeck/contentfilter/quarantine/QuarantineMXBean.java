package org.maildeck.contentfilter.quarantine;

import java.util.List;
import java.util.Map;

/**
 * {@code org.maildeck:type=Quarantine}: what the content filter holds back, and the operations of
 * {@code maildeck quarantine}. Each action is a mail-log line naming {@code jmx} as the admin.
 */
public interface QuarantineMXBean {

    long getMessageCount();

    /** The size of the held messages as they were caught. */
    long getTotalBytes();

    /** How long the oldest message has been held; 0 when the quarantine is empty. */
    long getOldestMessageAgeSeconds();

    /** Held messages per category ({@code virus}, {@code banned}, {@code spam}). */
    Map<String, Long> getMessagesByCategory();

    /** Every held message, oldest first. */
    List<QuarantineListingRow> listMessages();

    /** Delivers the message to its original recipients and returns its new queue id. */
    String release(String id) throws Exception;

    /** Removes the message for good. */
    void delete(String id) throws Exception;
}
