package org.maildeck.contentfilter;

import java.time.Duration;

/**
 * When a scanner's circuit opens: {@code failureRatePercent} of the last {@code window} calls
 * failed (at least {@code minimumCalls} made); while open, the scanner is not called and counts as
 * failed at once. The first call after {@code openFor} is let through, and the first
 * {@code minimumCalls} calls from then on (10 at most) decide whether the circuit closes again
 * or stays open for another {@code openFor}.
 */
public record CircuitBreakerSettings(int window, int minimumCalls, float failureRatePercent, Duration openFor) {

    public static CircuitBreakerSettings defaults() {
        return new CircuitBreakerSettings(20, 5, 50f, Duration.ofSeconds(30));
    }
}
