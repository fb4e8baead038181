package org.maildeck.mailets;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class RetryLaterTest {

    @Test
    void aDelayOfWholeHoursIsWrittenInHours() {
        assertThat(RetryLater.asWritten(Duration.ofHours(2))).isEqualTo("2h");
    }

    @Test
    void aDelayOfWholeMinutesIsWrittenInMinutes() {
        assertThat(RetryLater.asWritten(Duration.ofMinutes(90))).isEqualTo("90m");
    }

    @Test
    void anyOtherDelayIsWrittenInSeconds() {
        assertThat(RetryLater.asWritten(Duration.ofSeconds(150))).isEqualTo("150s");
    }
}
