package org.maildeck.assembly.liveness;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

class SystemdWatchdogTest {

    @Test
    void periodIsWatchdogUsecForThisProcess() {
        assertThat(SystemdWatchdog.watchdogPeriod(Map.of("WATCHDOG_USEC", "60000000", "WATCHDOG_PID", "42"), 42))
            .contains(Duration.ofSeconds(60));
        assertThat(SystemdWatchdog.watchdogPeriod(Map.of("WATCHDOG_USEC", "60000000"), 42)).contains(Duration.ofSeconds(60));
    }

    @Test
    void noWatchdogWhenSystemdAskedItOfAnotherProcess() {
        assertThat(SystemdWatchdog.watchdogPeriod(Map.of("WATCHDOG_USEC", "60000000", "WATCHDOG_PID", "41"), 42)).isEmpty();
    }

    @Test
    void noWatchdogWithoutAValidPeriod() {
        assertThat(SystemdWatchdog.watchdogPeriod(Map.of(), 42)).isEmpty();
        assertThat(SystemdWatchdog.watchdogPeriod(Map.of("WATCHDOG_USEC", "0"), 42)).isEmpty();
        assertThat(SystemdWatchdog.watchdogPeriod(Map.of("WATCHDOG_USEC", "soon"), 42)).isEmpty();
    }

    @Test
    void aProbeEndsWithinAQuarterOfThePeriodAndAtMostTenSeconds() {
        assertThat(SystemdWatchdog.probeLimit(Duration.ofSeconds(60))).isEqualTo(Duration.ofSeconds(10));
        assertThat(SystemdWatchdog.probeLimit(Duration.ofSeconds(20))).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void systemdNotifyOnlyWhenSystemdGaveANotificationSocket() {
        assertThat(SystemdNotify.fromEnvironment(Map.of("NOTIFY_SOCKET", "/run/systemd/notify"))).isPresent();
        assertThat(SystemdNotify.fromEnvironment(Map.of())).isEmpty();
    }
}
