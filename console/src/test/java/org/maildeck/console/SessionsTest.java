package org.maildeck.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.maildeck.testsupport.ManualClock;

class SessionsTest {

    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final Sessions sessions = new Sessions(Duration.ofMinutes(30), Duration.ofHours(12), 3, clock);

    @Test
    void sessionIsFoundByItsId() {
        Sessions.Session session = sessions.start("root").orElseThrow();

        assertThat(sessions.find(session.id())).contains(session);
    }

    @Test
    void sessionIdleForTheIdleTimeoutIsGone() {
        Sessions.Session session = sessions.start("root").orElseThrow();

        clock.advance(Duration.ofMinutes(30));

        assertThat(sessions.find(session.id())).isEmpty();
    }

    @Test
    void useRestartsTheIdleTimeout() {
        Sessions.Session session = sessions.start("root").orElseThrow();
        clock.advance(Duration.ofMinutes(29));
        sessions.find(session.id());

        clock.advance(Duration.ofMinutes(29));

        assertThat(sessions.find(session.id())).isPresent();
    }

    @Test
    void sessionInUseEndsAtItsMaximumAge() {
        Sessions.Session session = sessions.start("root").orElseThrow();
        for (int i = 0; i < 24; i++) {
            clock.advance(Duration.ofMinutes(29));
            assertThat(sessions.find(session.id())).as("after %d minutes", (i + 1) * 29).isPresent();
        }

        clock.advance(Duration.ofMinutes(29));

        assertThat(sessions.find(session.id())).isEmpty();
    }

    @Test
    void eachSessionHasItsOwnIdAndCsrfToken() {
        Sessions.Session first = sessions.start("root").orElseThrow();
        Sessions.Session second = sessions.start("root").orElseThrow();

        assertThat(second.id()).isNotEqualTo(first.id());
        assertThat(second.csrfToken()).isNotEqualTo(first.csrfToken());
        assertThat(first.acceptsCsrfToken(second.csrfToken())).isFalse();
        assertThat(first.acceptsCsrfToken(first.csrfToken())).isTrue();
        assertThat(first.acceptsCsrfToken(null)).isFalse();
    }

    @Test
    void noSessionBeyondTheMaximumUntilOneEnds() {
        sessions.start("a").orElseThrow();
        sessions.start("b").orElseThrow();
        Sessions.Session third = sessions.start("c").orElseThrow();

        assertThat(sessions.start("d")).isEmpty();
        sessions.end(third);
        assertThat(sessions.start("d")).isPresent();
    }

    @Test
    void unknownIdFindsNothing() {
        assertThat(sessions.find("forged")).isEmpty();
        assertThat(sessions.find(null)).isEmpty();
    }

    @Test
    void endingTheOtherSessionsOfAMailUserKeepsItsOwnAndAnAdminOfTheSameName() {
        Sessions.Session kept = sessions.start("bob@example.test", Sessions.Kind.MAIL_USER).orElseThrow();
        Sessions.Session other = sessions.start("bob@example.test", Sessions.Kind.MAIL_USER).orElseThrow();
        Sessions.Session admin = sessions.start("bob@example.test").orElseThrow();

        sessions.endOthersOf(kept);

        assertThat(sessions.find(kept.id())).isPresent();
        assertThat(sessions.find(other.id())).isEmpty();
        assertThat(sessions.find(admin.id())).isPresent();
    }
}
