package org.maildeck.imap;

import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.apache.commons.configuration2.HierarchicalConfiguration;
import org.apache.commons.configuration2.tree.ImmutableNode;
import org.apache.james.imap.api.ImapConfiguration;
import org.apache.james.util.Size;

import com.google.common.base.Splitter;
import com.google.common.collect.ImmutableSet;

/**
 * The IMAP processors' settings from imapserver.xml, read with the same keys and defaults as
 * James 3.8.1's IMAPServer, plus {@code <condstore>} (default true), which James does not read.
 */
public final class ImapSettings {

    private ImapSettings() {
    }

    public static ImapConfiguration read(HierarchicalConfiguration<ImmutableNode> configuration) {
        ImmutableSet<String> disabledCaps = ImmutableSet.copyOf(Splitter.on('|').omitEmptyStrings().trimResults()
            .split(configuration.getString("disabledCaps", "")));
        Optional<Integer> appendLimit = Optional.ofNullable(configuration.getString("literalSizeLimit", null))
            .map(Size::parse)
            .map(Size::asBytes)
            .map(Math::toIntExact)
            .filter(limit -> limit > 0);
        return ImapConfiguration.builder()
            .enableIdle(configuration.getBoolean("enableIdle", ImapConfiguration.DEFAULT_ENABLE_IDLE))
            .idleTimeInterval(configuration.getLong("idleTimeInterval", ImapConfiguration.DEFAULT_HEARTBEAT_INTERVAL_IN_SECONDS))
            .idleTimeIntervalUnit(timeUnit(configuration.getString("idleTimeIntervalUnit", "SECONDS")))
            .disabledCaps(disabledCaps)
            .appendLimit(appendLimit)
            .maxQueueSize(configuration.getInteger("maxQueueSize", ImapConfiguration.DEFAULT_QUEUE_SIZE))
            .concurrentRequests(configuration.getInteger("concurrentRequests", ImapConfiguration.DEFAULT_CONCURRENT_REQUESTS))
            .isProvisionDefaultMailboxes(configuration.getBoolean("provisionDefaultMailboxes",
                ImapConfiguration.DEFAULT_PROVISION_DEFAULT_MAILBOXES))
            .withCustomProperties(configuration.getProperties("customProperties"))
            .isCondstoreEnable(configuration.getBoolean("condstore", true))
            .build();
    }

    private static TimeUnit timeUnit(String name) {
        try {
            return TimeUnit.valueOf(name);
        } catch (IllegalArgumentException e) {
            return ImapConfiguration.DEFAULT_HEARTBEAT_INTERVAL_UNIT;
        }
    }
}
