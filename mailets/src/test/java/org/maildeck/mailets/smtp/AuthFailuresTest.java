package org.maildeck.mailets.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

class AuthFailuresTest {

    private static final Duration WINDOW = Duration.ofMinutes(10);

    private static final class MovableClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    private final MovableClock clock = new MovableClock();
    private final AuthFailures failures = new AuthFailures(clock);

    @Test
    void failuresAreCountedPerClientAddress() throws Exception {
        InetAddress attacker = InetAddress.getByName("192.0.2.1");
        InetAddress other = InetAddress.getByName("192.0.2.2");

        failures.recordFailure(attacker, WINDOW);
        int attackerCount = failures.recordFailure(attacker, WINDOW);
        int otherCount = failures.recordFailure(other, WINDOW);

        assertThat(attackerCount).isEqualTo(2);
        assertThat(otherCount).isEqualTo(1);
        assertThat(failures.failures()).isEqualTo(3);
    }

    @Test
    void failuresOlderThanTheWindowNoLongerCount() throws Exception {
        InetAddress client = InetAddress.getByName("192.0.2.1");
        failures.recordFailure(client, WINDOW);
        clock.advance(WINDOW.plusSeconds(1));

        assertThat(failures.recordFailure(client, WINDOW)).isEqualTo(1);
    }

    @Test
    void aLockoutLastsItsDurationAndThenEnds() throws Exception {
        InetAddress client = InetAddress.getByName("192.0.2.1");
        failures.lockOut(client, Duration.ofMinutes(5));

        assertThat(failures.lockedUntil(client)).isPresent();
        assertThat(failures.lockedOutClients()).isEqualTo(1);
        clock.advance(Duration.ofMinutes(5).plusSeconds(1));
        assertThat(failures.lockedUntil(client)).isEmpty();
        assertThat(failures.lockouts()).isEqualTo(1);
    }

    @Test
    void aLockoutStartsTheCountAgain() throws Exception {
        InetAddress client = InetAddress.getByName("192.0.2.1");
        failures.recordFailure(client, WINDOW);
        failures.recordFailure(client, WINDOW);
        failures.lockOut(client, Duration.ofMinutes(1));
        clock.advance(Duration.ofMinutes(2));

        assertThat(failures.recordFailure(client, WINDOW)).isEqualTo(1);
    }
}
