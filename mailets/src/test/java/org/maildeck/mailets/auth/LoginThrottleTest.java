package org.maildeck.mailets.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.maildeck.testsupport.ManualClock;

class LoginThrottleTest {

    private static final Duration LOCKOUT = Duration.ofMinutes(10);
    private static final InetSocketAddress ATTACKER = new InetSocketAddress("192.0.2.1", 40000);
    private static final Optional<String> USER = Optional.of("u");
    private static final InetSocketAddress OTHER = new InetSocketAddress("192.0.2.2", 40000);


    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final LoginThrottle throttle = new LoginThrottle(
        new LoginThrottleSettings(Duration.ofSeconds(1), Duration.ofSeconds(8), 3, LOCKOUT), clock);

    @Test
    void failuresAreCountedPerClientAddress() {
        throttle.failed(LoginProtocol.SMTP, ATTACKER, USER);
        int attackerCount = throttle.failed(LoginProtocol.SMTP, ATTACKER, USER).recentFailures();
        int otherCount = throttle.failed(LoginProtocol.SMTP, OTHER, USER).recentFailures();

        assertThat(attackerCount).isEqualTo(2);
        assertThat(otherCount).isEqualTo(1);
        assertThat(throttle.failures()).isEqualTo(3);
    }

    @Test
    void failuresOverDifferentProtocolsCountTowardOneLockout() {
        throttle.failed(LoginProtocol.SMTP, ATTACKER, USER);
        throttle.failed(LoginProtocol.IMAP, ATTACKER, USER);
        LoginThrottle.Failure third = throttle.failed(LoginProtocol.POP3, ATTACKER, USER);

        assertThat(third.lockedOut()).isTrue();
        assertThat(throttle.refuses(LoginProtocol.SMTP, ATTACKER, Optional.empty())).isPresent();
        assertThat(throttle.refuses(LoginProtocol.IMAP, OTHER, USER)).isEmpty();
        assertThat(throttle.failures(LoginProtocol.IMAP)).isEqualTo(1);
        assertThat(throttle.refusals(LoginProtocol.SMTP)).isEqualTo(1);
        assertThat(throttle.lockouts()).isEqualTo(1);
    }

    @Test
    void failuresOlderThanTheWindowNoLongerCount() {
        throttle.failed(LoginProtocol.IMAP, ATTACKER, USER);
        clock.advance(LOCKOUT.plusSeconds(1));

        assertThat(throttle.failed(LoginProtocol.IMAP, ATTACKER, USER).recentFailures()).isEqualTo(1);
    }

    @Test
    void aLockoutLastsItsDurationAndThenEnds() {
        for (int i = 0; i < 3; i++) {
            throttle.failed(LoginProtocol.POP3, ATTACKER, USER);
        }

        assertThat(throttle.lockedUntil(ATTACKER.getAddress())).isPresent();
        assertThat(throttle.lockedOutClients()).isEqualTo(1);
        clock.advance(LOCKOUT.plusSeconds(1));
        assertThat(throttle.lockedUntil(ATTACKER.getAddress())).isEmpty();
        assertThat(throttle.lockouts()).isEqualTo(1);
    }

    @Test
    void aLockoutStartsTheCountAgain() {
        for (int i = 0; i < 3; i++) {
            throttle.failed(LoginProtocol.SMTP, ATTACKER, USER);
        }
        clock.advance(LOCKOUT.plusSeconds(1));

        assertThat(throttle.failed(LoginProtocol.SMTP, ATTACKER, USER).recentFailures()).isEqualTo(1);
    }

    @Test
    void eachFailureBeforeTheLockoutIsDelayedLongerAndTheNextAttemptPaysTheSamePenalty() {
        LoginThrottle.Failure first = throttle.failed(LoginProtocol.IMAP, ATTACKER, USER);
        LoginThrottle.Failure second = throttle.failed(LoginProtocol.IMAP, ATTACKER, USER);

        assertThat(first.delay()).isEqualTo(Duration.ofSeconds(1));
        assertThat(second.delay()).isEqualTo(Duration.ofSeconds(2));
        assertThat(throttle.penalty(ATTACKER.getAddress())).isEqualTo(Duration.ofSeconds(2));
        assertThat(throttle.penalty(OTHER.getAddress())).isZero();
    }
}
