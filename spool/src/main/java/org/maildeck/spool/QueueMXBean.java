package org.maildeck.spool;

/**
 * {@code org.maildeck:type=Queue,name=<queue>}: one mail queue, e.g. {@code spool} (received, not
 * yet processed) and {@code outgoing} (waiting for remote delivery; postfix's active and
 * deferred queues together). Figures are at most five seconds old.
 */
public interface QueueMXBean {

    long getMessageCount();

    /** Messages waiting for a later retry (postfix's deferred queue). */
    long getDeferredMessageCount();

    /**
     * How long the oldest message has been in this queue; for {@code outgoing} since it first
     * entered it, across retries. 0 when the queue is empty.
     */
    long getOldestMessageAgeSeconds();
}
