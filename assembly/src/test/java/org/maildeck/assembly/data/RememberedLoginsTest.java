package org.maildeck.assembly.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
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

    /** Starts a login of ALICE whose verification waits for {@code release}; returns once the verification runs. */
    private Thread loginVerifyingUntil(CountDownLatch release, AtomicBoolean answer) throws InterruptedException {
        CountDownLatch verifying = new CountDownLatch(1);
        Thread first = new Thread(() -> answer.set(logins.test(ALICE, "right", () -> {
            verifications.incrementAndGet();
            verifying.countDown();
            awaitUninterruptibly(release);
            return true;
        })));
        first.start();
        verifying.await();
        return first;
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Starts a second login of ALICE with the same password; returns once it waits for the first (or, wrongly, ended). */
    private Thread secondLoginWaiting(AtomicBoolean answer) throws InterruptedException {
        Thread second = new Thread(() -> answer.set(login(ALICE, "right", true)));
        second.start();
        while (second.getState() != Thread.State.WAITING && second.getState() != Thread.State.TERMINATED) {
            Thread.sleep(1);
        }
        return second;
    }

    @Test
    void aLoginArrivingDuringTheSameVerificationTakesItsAnswer() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean firstAnswer = new AtomicBoolean(), secondAnswer = new AtomicBoolean();
        Thread first = loginVerifyingUntil(release, firstAnswer);
        Thread second = secondLoginWaiting(secondAnswer);

        release.countDown();
        first.join();
        second.join();

        assertThat(secondAnswer).isTrue();
        assertThat(verifications).hasValue(1);
    }

    @Test
    void aLoginWaitingForAVerificationThatAChangeOverlappedVerifiesOnItsOwn() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean firstAnswer = new AtomicBoolean(), secondAnswer = new AtomicBoolean();
        Thread first = loginVerifyingUntil(release, firstAnswer);
        Thread second = secondLoginWaiting(secondAnswer);

        logins.forget(ALICE);
        release.countDown();
        first.join();
        second.join();

        assertThat(verifications).hasValue(2);
    }
}
