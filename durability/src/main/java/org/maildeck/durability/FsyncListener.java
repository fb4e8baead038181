package org.maildeck.durability;

import java.time.Duration;

/**
 * Told how long each fsync of the store took, so that a slow disk shows before deliveries time
 * out. Called on the thread that synced, right after the call returned: it must be quick and
 * must not throw.
 */
@FunctionalInterface
public interface FsyncListener {

    FsyncListener NONE = took -> {
    };

    void fsynced(Duration took);
}
