package org.maildeck.antispam;

import org.apache.james.core.healthcheck.ComponentName;
import org.apache.james.core.healthcheck.HealthCheck;
import org.apache.james.core.healthcheck.Result;
import org.reactivestreams.Publisher;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** spamd answers PING: shown by James's health checks (WebAdmin {@code /healthcheck}) and {@code maildeck status}. */
public class SpamdHealthCheck implements HealthCheck {

    private static final ComponentName COMPONENT = new ComponentName("spamd");

    private final SpamdClient spamd;
    private final boolean enabled;

    /** With {@code enabled} false (spam checks switched off) spamd is not asked and counts as healthy. */
    public SpamdHealthCheck(SpamdClient spamd, boolean enabled) {
        this.spamd = spamd;
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
                spamd.ping();
                return Result.healthy(COMPONENT);
            } catch (SpamdException e) {
                return Result.unhealthy(COMPONENT, e.getMessage());
            }
        }).subscribeOn(Schedulers.boundedElastic());
    }
}
