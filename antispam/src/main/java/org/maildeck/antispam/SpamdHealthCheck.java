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

    public SpamdHealthCheck(SpamdClient spamd) {
        this.spamd = spamd;
    }

    @Override
    public ComponentName componentName() {
        return COMPONENT;
    }

    @Override
    public Publisher<Result> check() {
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
