package org.maildeck.mailets.auth;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.util.DurationParser;

/**
 * How {@link LoginThrottle} treats failed logins of one client address, over every protocol:
 * each failure waits {@code failureDelay}, doubling up to {@code maxFailureDelay}; the
 * {@code maxFailures}-th failure within {@code lockout} locks the address out of every login
 * for {@code lockout}. Durations without a unit are seconds ({@code 1s}, {@code 150ms},
 * {@code 10m}).
 */
public record LoginThrottleSettings(Duration failureDelay, Duration maxFailureDelay, int maxFailures, Duration lockout) {

    /** The settings SMTP AUTH had before the throttle covered every protocol. */
    public static final LoginThrottleSettings DEFAULTS =
        new LoginThrottleSettings(Duration.ofSeconds(1), Duration.ofSeconds(8), 5, Duration.ofMinutes(10));

    public static final String FAILURE_DELAY = "failureDelay";
    public static final String MAX_FAILURE_DELAY = "maxFailureDelay";
    public static final String MAX_FAILURES = "maxFailures";
    public static final String LOCKOUT = "lockout";
    public static final List<String> KEYS = List.of(FAILURE_DELAY, MAX_FAILURE_DELAY, MAX_FAILURES, LOCKOUT);

    public LoginThrottleSettings {
        if (maxFailures < 1) {
            throw new IllegalArgumentException(MAX_FAILURES + " must be at least 1, not " + maxFailures);
        }
        if (failureDelay.isNegative() || maxFailureDelay.isNegative() || lockout.isNegative() || lockout.isZero()) {
            throw new IllegalArgumentException("the login throttle's delays must not be negative and its lockout must be positive");
        }
    }

    /** Whether {@code config} sets any of the throttle's keys. */
    public static boolean mentionedIn(Configuration config) {
        return KEYS.stream().anyMatch(config::containsKey);
    }

    /** These settings with the keys {@code config} sets replaced; {@code source} names it in errors. */
    public LoginThrottleSettings overriddenBy(Configuration config, String source) throws ConfigurationException {
        try {
            return new LoginThrottleSettings(
                duration(config, FAILURE_DELAY, failureDelay, source),
                duration(config, MAX_FAILURE_DELAY, maxFailureDelay, source),
                count(config, MAX_FAILURES, maxFailures, source),
                duration(config, LOCKOUT, lockout, source));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(source + ": " + e.getMessage(), e);
        }
    }

    private static int count(Configuration config, String key, int fallback, String source) throws ConfigurationException {
        String value = config.getString(key, null);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new ConfigurationException(source + ": " + key + " is not a number: " + value, e);
        }
    }

    private static Duration duration(Configuration config, String key, Duration fallback, String source) throws ConfigurationException {
        String value = config.getString(key, null);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return DurationParser.parse(value.trim(), ChronoUnit.SECONDS);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(source + ": " + key + " is not a duration: " + value, e);
        }
    }

    /** {@code failureDelay} after the first failure, doubling after each further one. */
    public Duration delayAfter(int recentFailures) {
        if (recentFailures < 1) {
            return Duration.ZERO;
        }
        Duration delay = failureDelay;
        for (int i = 1; i < recentFailures && delay.compareTo(maxFailureDelay) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(maxFailureDelay) > 0 ? maxFailureDelay : delay;
    }
}
