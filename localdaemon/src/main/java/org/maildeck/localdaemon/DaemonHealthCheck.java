package org.maildeck.localdaemon;

import org.apache.james.core.healthcheck.ComponentName;
import org.apache.james.core.healthcheck.HealthCheck;
import org.apache.james.core.healthcheck.Result;
import org.reactivestreams.Publisher;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * A local daemon answers its ping: shown by James's health checks (WebAdmin {@code /healthcheck})
 * and {@code maildeck status}. A daemon switched off in the configuration is not asked and counts
 * as healthy.
 */
public class DaemonHealthCheck implements HealthCheck {

    /** The daemon's own liveness command (clamd's and spamd's {@code PING}). */
    @FunctionalInterface
    public interface Ping {
        void ping() throws DaemonException;
    }

    private final ComponentName component;
    private final boolean enabled;
    private final Ping ping;

    public DaemonHealthCheck(String daemon, boolean enabled, Ping ping) {
        this.component = new ComponentName(daemon);
        this.enabled = enabled;
        this.ping = ping;
    }

    /** Whether the daemon is used at all: a disabled one's check passes without asking it. */
    public boolean enabled() {
        return enabled;
    }

    @Override
    public ComponentName componentName() {
        return component;
    }

    @Override
    public Publisher<Result> check() {
        if (!enabled) {
            return Mono.just(Result.healthy(component));
        }
        return Mono.fromCallable(() -> {
            try {
                ping.ping();
                return Result.healthy(component);
            } catch (DaemonException e) {
                return Result.unhealthy(component, e.getMessage());
            }
        }).subscribeOn(Schedulers.boundedElastic());
    }
}
