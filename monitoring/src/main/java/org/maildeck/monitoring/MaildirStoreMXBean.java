package org.maildeck.monitoring;

/** {@code org.maildeck:type=MaildirStore}: local delivery into the Maildirs, and the store under it. */
public interface MaildirStoreMXBean {

    /** Message copies stored by local delivery since start, one per recipient ({@code status=delivered}). */
    long getDeliveriesTotal();

    /** Bytes of those copies, as the mailbox holds them (with the recipient's own headers). */
    long getDeliveredBytesTotal();

    /** Recipients bounced because their mailbox was full ({@code status=bounced}). */
    long getBouncedOverQuotaTotal();

    /** Recipients whose delivery failed, sending the mail to the error processor ({@code status=deferred}). */
    long getDeferredTotal();

    /** Median duration of the store's fsyncs in the last five minutes. */
    double getFsyncLatencyMedianMillis();

    /** 99th percentile of the store's fsync durations in the last five minutes. */
    double getFsyncLatencyP99Millis();

    /** Longest fsync of the store in the last five minutes. */
    double getFsyncLatencyMaxMillis();

    /** fsyncs the three latencies above are computed from. */
    long getFsyncSamples();

    /** Folders whose index is held in memory now (until unused for 30 minutes). */
    int getIndexCacheFolders();

    /** Messages listed by the folder indexes held in memory now. */
    long getIndexCacheMessages();
}
