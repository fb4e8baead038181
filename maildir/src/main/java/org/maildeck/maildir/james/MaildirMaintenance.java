package org.maildeck.maildir.james;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.inject.Inject;
import javax.inject.Singleton;

import org.apache.james.lifecycle.api.Startable;
import org.maildeck.maildir.MaildirStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's background work: every second, announce what other programs changed in folders
 * in use (so IDLE and NOOP see it); every few seconds, write changed folder indexes; now and
 * then, drop indexes of folders nobody used for a while. At stop, write every index as clean.
 */
@Singleton
public final class MaildirMaintenance implements Startable {

    private static final Logger LOGGER = LoggerFactory.getLogger(MaildirMaintenance.class);
    private static final long WATCHED_IF_USED_WITHIN_MS = TimeUnit.MINUTES.toMillis(30);
    private static final long EVICT_AFTER_IDLE_MS = TimeUnit.MINUTES.toMillis(30);

    private final MaildirStore store;
    private final OutsideChangeNotifier notifier;
    private ScheduledExecutorService scheduler;

    @Inject
    MaildirMaintenance(MaildirStore store, OutsideChangeNotifier notifier) {
        this.store = store;
        this.notifier = notifier;
    }

    public synchronized void start() {
        if (scheduler != null) {
            return;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "maildir-maintenance");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleWithFixedDelay(guarded(() -> notifier.announceChanges(WATCHED_IF_USED_WITHIN_MS)), 1, 1, TimeUnit.SECONDS);
        scheduler.scheduleWithFixedDelay(guarded(() -> store.flushAll(false)), 5, 5, TimeUnit.SECONDS);
        scheduler.scheduleWithFixedDelay(guarded(() -> store.evictIdle(EVICT_AFTER_IDLE_MS)), 5, 5, TimeUnit.MINUTES);
        LOGGER.info("Maildir store at {}", store.root());
    }

    private static Runnable guarded(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOGGER.warn("Maildir maintenance task failed: {}", e.toString());
            }
        };
    }

    /** Stops the background work and writes every loaded folder index, marked clean. */
    public synchronized void stop() {
        if (scheduler != null) {
            scheduler.shutdown();
            try {
                scheduler.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            scheduler = null;
        }
        store.flushAll(true);
    }
}
