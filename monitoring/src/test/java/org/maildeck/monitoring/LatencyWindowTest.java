package org.maildeck.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class LatencyWindowTest {

    @Test
    void anEmptyWindowReportsZeroSamplesAndZeroLatency() {
        LatencyWindow window = new LatencyWindow();

        assertThat(window.samples()).isZero();
        assertThat(window.medianMillis()).isZero();
        assertThat(window.p99Millis()).isZero();
    }

    @Test
    void medianAndP99AreReadInMillisecondsFromTheRecordedLatencies() {
        LatencyWindow window = new LatencyWindow();
        for (int millis = 1; millis <= 100; millis++) {
            window.record(Duration.ofMillis(millis));
        }

        assertThat(window.samples()).isEqualTo(100);
        assertThat(window.medianMillis()).isBetween(50.0, 51.0);
        assertThat(window.p99Millis()).isBetween(99.0, 100.0);
        assertThat(window.maxMillis()).isEqualTo(100.0);
    }

    @Test
    void subMillisecondLatenciesKeepTheirMicroseconds() {
        LatencyWindow window = new LatencyWindow();
        window.record(Duration.ofNanos(250_400));

        assertThat(window.maxMillis()).isEqualTo(0.25);
    }
}
