package org.maildeck.spool;

import java.time.Duration;
import java.time.temporal.ChronoUnit;

import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.queue.api.MailQueueName;
import org.apache.james.util.DurationParser;

/**
 * When the sender of mail still waiting in the outgoing queue is told so (Postfix
 * {@code delay_warning_time}), from queue.properties: {@code delay.warning.time} (default 4h,
 * 0 for never), {@code delay.warning.queue} (RemoteDelivery's queue, default {@code outgoing})
 * and {@code delay.warning.processor} (the mailetcontainer.xml processor that writes the notice,
 * default {@code delay-warning}).
 */
public record DelayWarningSettings(Duration after, MailQueueName queue, String processor) {

    public static DelayWarningSettings from(Configuration properties) throws ConfigurationException {
        String time = properties.getString("delay.warning.time", "4h").trim();
        Duration after;
        try {
            after = DurationParser.parse(time, ChronoUnit.HOURS);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("queue.properties delay.warning.time: not a duration: " + time, e);
        }
        return new DelayWarningSettings(after,
            MailQueueName.of(properties.getString("delay.warning.queue", "outgoing")),
            properties.getString("delay.warning.processor", "delay-warning"));
    }

    boolean enabled() {
        return !after.isZero() && !after.isNegative();
    }
}
