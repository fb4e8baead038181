package org.maildeck.localdaemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;

import org.apache.james.core.healthcheck.Result;
import org.junit.jupiter.api.Test;

import reactor.core.publisher.Mono;

class DaemonHealthCheckTest {

    @Test
    void aDaemonThatAnswersItsPingIsHealthy() {
        Result result = check(new DaemonHealthCheck("clamd", true, () -> { }));

        assertThat(result.isHealthy()).isTrue();
        assertThat(result.getComponentName().getName()).isEqualTo("clamd");
    }

    @Test
    void aDaemonThatFailsItsPingIsUnhealthyWithTheReason() {
        Result result = check(new DaemonHealthCheck("spamd", true, () -> {
            throw new DaemonException(DaemonException.Kind.UNREACHABLE, "cannot connect to spamd at 127.0.0.1:783");
        }));

        assertThat(result.isUnHealthy()).isTrue();
        assertThat(result.getCause()).contains("cannot connect to spamd at 127.0.0.1:783");
    }

    @Test
    void aDaemonSwitchedOffIsHealthyAndNotAsked() {
        AtomicInteger pings = new AtomicInteger();

        Result result = check(new DaemonHealthCheck("spamd", false, pings::incrementAndGet));

        assertThat(result.isHealthy()).isTrue();
        assertThat(pings).hasValue(0);
    }

    private static Result check(DaemonHealthCheck check) {
        return Mono.from(check.check()).block();
    }
}
