package org.maildeck.monitoring;

import javax.inject.Inject;

import org.maildeck.mailets.MaildirDeliveryCounters;
import org.maildeck.maildir.MaildirStore;

/** The {@code MaildirStore} MBean: what the delivery mailet counted, the fsync window, the store's index cache. */
public class MaildirStoreStatistics implements MaildirStoreMXBean {

    public static final String NAME = "org.maildeck:type=MaildirStore";

    private final MaildirDeliveryCounters deliveries;
    private final LatencyWindow fsyncs;
    private final MaildirStore store;

    @Inject
    MaildirStoreStatistics(MaildirDeliveryCounters deliveries, FsyncLatencies fsyncs, MaildirStore store) {
        this.deliveries = deliveries;
        this.fsyncs = fsyncs.window();
        this.store = store;
    }

    @Override
    public long getDeliveriesTotal() {
        return deliveries.delivered();
    }

    @Override
    public long getDeliveredBytesTotal() {
        return deliveries.deliveredBytes();
    }

    @Override
    public long getBouncedOverQuotaTotal() {
        return deliveries.bouncedOverQuota();
    }

    @Override
    public long getDeferredTotal() {
        return deliveries.deferred();
    }

    @Override
    public double getFsyncLatencyMedianMillis() {
        return fsyncs.medianMillis();
    }

    @Override
    public double getFsyncLatencyP99Millis() {
        return fsyncs.p99Millis();
    }

    @Override
    public double getFsyncLatencyMaxMillis() {
        return fsyncs.maxMillis();
    }

    @Override
    public long getFsyncSamples() {
        return fsyncs.samples();
    }

    @Override
    public int getIndexCacheFolders() {
        return store.indexCache().folders();
    }

    @Override
    public long getIndexCacheMessages() {
        return store.indexCache().messages();
    }
}
