package org.maildeck.monitoring;

import java.time.Duration;

import javax.inject.Singleton;

import org.maildeck.durability.FsyncListener;

/** The Maildir store's fsyncs of the last five minutes: a slow or failing disk shows here first. */
@Singleton
public class FsyncLatencies implements FsyncListener {

    private final LatencyWindow window = new LatencyWindow();

    @Override
    public void fsynced(Duration took) {
        window.record(took);
    }

    LatencyWindow window() {
        return window;
    }
}
