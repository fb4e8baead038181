package org.maildeck.assembly.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.james.core.Domain;
import org.apache.james.core.Username;
import org.junit.jupiter.api.Test;
import org.maildeck.testsupport.ManualClock;

class RememberedLoginsTest {

    private static final Username ALICE = Username.of("alice@example.test");
    private static final Username BOB = Username.of("bob@other.test");

    /** A clock the test moves. */

    private final ManualClock clock = new ManualClock(Instant.parse("2026-12-06T10:00:00Z"));
    private final RememberedLogins logins = new RememberedLogins(Duration.ofHours(1), Duration.ofMinutes(5), clock);
    private final AtomicInteger verifications = new AtomicInteger();

    private boolean login(Username user, String password, boolean databaseSays) {
        return logins.test(user, password, () -> {
            verifications.incrementAndGet();
            return databaseSays;
        });
    }

    @Test
    void aSuccessfulVerificationIsRememberedForTheSamePassword() {
        login(ALICE, "right", true);

        assertThat(login(ALICE, "right", true)).isTrue();
        assertThat(verifications).hasValue(1);
    }

    @Test
    void anotherPasswordIsVerifiedAgainstTheDatabase() {
        login(ALICE, "right", true);

        assertThat(login(ALICE, "wrong", false)).isFalse();
        assertThat(verifications).hasValue(2);
    }

    @Test
    void aRememberedLoginServesOnlyItsOwnUser() {
        login(ALICE, "same", true);

        assertThat(login(BOB, "same", false)).isFalse();
        assertThat(verifications).hasValue(2);
    }

    @Test
    void aSuccessIsVerifiedAgainAfterTheTtl() {
        login(ALICE, "right", true);
        clock.advance(Duration.ofHours(1));

        login(ALICE, "right", true);

        assertThat(verifications).hasValue(2);
    }

    @Test
    void aFailureIsRememberedForTheNegativeTtlOnly() {
        login(ALICE, "wrong", false);
        assertThat(login(ALICE, "wrong", false)).isFalse();
        assertThat(verifications).hasValue(1);

        clock.advance(Duration.ofMinutes(5));
        login(ALICE, "wrong", false);

        assertThat(verifications).hasValue(2);
    }

    @Test
    void forgettingAUserForgetsItsSuccessesAndFailures() {
        login(ALICE, "right", true);
        login(ALICE, "wrong", false);

        logins.forget(ALICE);

        assertThat(login(ALICE, "right", false)).isFalse();
        assertThat(login(ALICE, "wrong", true)).isTrue();
        assertThat(verifications).hasValue(4);
    }

    @Test
    void forgettingAUserKeepsTheOthers() {
        login(ALICE, "right", true);
        login(BOB, "right", true);

        logins.forget(ALICE);
        login(BOB, "right", true);

        assertThat(verifications).hasValue(2);
    }

    @Test
    void forgettingADomainForgetsItsUsersOnly() {
        login(ALICE, "right", true);
        login(BOB, "right", true);

        logins.forget(Domain.of("example.test"));
        login(ALICE, "right", true);
        login(BOB, "right", true);

        assertThat(verifications).hasValue(3);
    }

    @Test
    void aVerificationOverlappingAChangeIsNotRemembered() {
        logins.test(ALICE, "old", () -> {
            verifications.incrementAndGet();
            logins.forget(ALICE); // passwd commits while the old password is being verified
            return true;
        });

        login(ALICE, "old", false);

        assertThat(verifications).hasValue(2);
    }

    @Test
    void aZeroTtlRemembersNoSuccess() {
        RememberedLogins off = new RememberedLogins(Duration.ZERO, Duration.ZERO, clock);
        off.test(ALICE, "right", () -> verifications.incrementAndGet() > 0);

        off.test(ALICE, "right", () -> verifications.incrementAndGet() > 0);

        assertThat(verifications).hasValue(2);
    }
}
