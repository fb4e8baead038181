package org.maildeck.assembly.contentfilter;

import org.apache.james.utils.GuiceProbe;
import org.maildeck.contentfilter.ScanRoute;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Stops the scanning route (its Camel context and threads) when the server stops. */
public class ScanRouteLifecycle implements GuiceProbe {

    private static final Logger LOGGER = LoggerFactory.getLogger(ScanRouteLifecycle.class);

    private volatile ScanRoute route;

    void manage(ScanRoute route) {
        this.route = route;
    }

    public void stop() {
        ScanRoute running = route;
        if (running == null) {
            return;
        }
        try {
            running.close();
        } catch (Exception e) {
            LOGGER.warn("scanning route did not stop cleanly", e);
        }
    }
}
