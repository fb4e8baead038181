package org.maildeck.monitoring;

/**
 * {@code org.maildeck:type=LastMinute}: what happened in the last minute (to within five
 * seconds; since the start when the server is younger), for {@code maildeck status} and for a
 * glance at whether mail flows. The totals since start are on the other MBeans.
 */
public interface LastMinuteMXBean {

    /** Messages put into the spool: received over SMTP or LMTP, or generated here (bounces, releases). */
    long getReceivedMessages();

    /** Message copies stored in local mailboxes. */
    long getDeliveredMessages();

    /** Messages handed to other servers by remote delivery. */
    long getSentMessages();

    long getScannedMessages();

    long getVirusesFound();

    long getSpamKilledMessages();

    long getRelayDenials();

    long getAuthFailures();
}
