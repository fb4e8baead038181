package org.maildeck.assembly.liveness;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

import org.apache.james.core.healthcheck.ComponentName;
import org.apache.james.core.healthcheck.HealthCheck;
import org.apache.james.core.healthcheck.Result;
import org.reactivestreams.Publisher;

import reactor.core.publisher.Mono;

/**
 * A health check that answers within {@link #LIMIT}: a component that does not answer in time
 * is unhealthy. Without it, one hung component (a database that gives no connection) hangs
 * WebAdmin's {@code /healthcheck}, and with it {@code maildeck status}.
 */
final class TimeBoundHealthCheck implements HealthCheck {

    /** Well below the 20 s {@code maildeck status} waits for {@code /healthcheck}. */
    static final Duration LIMIT = Duration.ofSeconds(10);

    private final HealthCheck check;
    private final Duration limit;

    TimeBoundHealthCheck(HealthCheck check, Duration limit) {
        this.check = check;
        this.limit = limit;
    }

    @Override
    public ComponentName componentName() {
        return check.componentName();
    }

    @Override
    public Publisher<Result> check() {
        return Mono.defer(() -> Mono.from(check.check()))
            .timeout(limit)
            .onErrorResume(TimeoutException.class, e -> Mono.just(Result.unhealthy(componentName(),
                "no answer within " + limit.toSeconds() + " s")));
    }
}
