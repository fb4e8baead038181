package org.maildeck.spool;

import java.nio.file.Path;

import org.apache.commons.configuration2.Configuration;
import org.apache.james.util.Size;

/**
 * The mail queue's broker settings from {@code queue.properties}. Sizes take James's units
 * ({@code 64M}, {@code 8G}); the store directory is relative to the data directory.
 */
public record QueueSettings(Path storeDirectory, long memoryLimitBytes, long storeLimitBytes, long tempLimitBytes,
                            String journalSyncStrategy) {

    public static QueueSettings from(Configuration properties, Path dataDirectory) {
        return new QueueSettings(
            dataDirectory.resolve(properties.getString("queue.store.directory", "queue")),
            bytes(properties, "queue.broker.memory.limit", "64M"),
            bytes(properties, "queue.store.limit", "8G"),
            bytes(properties, "queue.temp.limit", "1G"),
            properties.getString("queue.kahadb.journalDiskSyncStrategy", "always"));
    }

    private static long bytes(Configuration properties, String key, String defaultValue) {
        String value = properties.getString(key, defaultValue).trim();
        try {
            return Size.parse(value).asBytes();
        } catch (Exception e) {
            throw new IllegalArgumentException("queue.properties: " + key + "=" + value + " is not a size (e.g. 64M, 8G)", e);
        }
    }
}
