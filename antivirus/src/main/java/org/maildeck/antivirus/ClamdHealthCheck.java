package org.maildeck.antivirus;

import org.apache.james.core.healthcheck.ComponentName;
import org.apache.james.core.healthcheck.HealthCheck;
import org.apache.james.core.healthcheck.Result;
import org.reactivestreams.Publisher;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** clamd answers PING: shown by James's health checks (WebAdmin {@code /healthcheck}) and {@code maildeck status}. */
public class ClamdHealthCheck implements HealthCheck {

    private static final ComponentName COMPONENT = new ComponentName("clamd");

    private final ClamdClient clamd;
    private final boolean enabled;

    /** With {@code enabled} false (virus scanning switched off) clamd is not asked and counts as healthy. */
    public ClamdHealthCheck(ClamdClient clamd, boolean enabled) {
        this.clamd = clamd;
        this.enabled = enabled;
    }

    @Override
    public ComponentName componentName() {
        return COMPONENT;
    }

    @Override
    public Publisher<Result> check() {
        if (!enabled) {
            return Mono.just(Result.healthy(COMPONENT));
        }
        return Mono.fromCallable(() -> {
            try {
                clamd.ping();
                return Result.healthy(COMPONENT);
            } catch (ClamdException e) {
                return Result.unhealthy(COMPONENT, e.getMessage());
            }
        }).subscribeOn(Schedulers.boundedElastic());
    }
}
