package org.maildeck.assembly.console;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

import org.apache.james.core.healthcheck.HealthCheck;
import org.apache.james.core.healthcheck.Result;
import org.maildeck.adminaccess.ConfiguredListeners;
import org.maildeck.console.ServerState;
import org.maildeck.localdaemon.DaemonHealthCheck;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The status page's view of this server, as {@code maildeck status} prints it: the listeners the
 * configuration names, each tried with a connection, and the result of every health check the
 * server runs (WebAdmin's {@code /healthcheck}), a disabled daemon shown as disabled rather than
 * healthy. Each check gets {@link #CHECK_TIMEOUT}; one that does not answer by then is shown as
 * not answering, so a hung clamd never hangs the page.
 */
final class RunningServerState implements ServerState {

    static final Duration CHECK_TIMEOUT = Duration.ofSeconds(3);

    private final Path conf;
    private final Set<HealthCheck> checks;

    RunningServerState(Path conf, Set<HealthCheck> checks) {
        this.conf = conf;
        this.checks = checks;
    }

    @Override
    public List<Listener> listeners() {
        List<Listener> listeners = new ArrayList<>();
        for (ConfiguredListeners.Listener listener : ConfiguredListeners.in(conf)) {
            boolean accepting = listener.enabled() && listener.accepting();
            String state = !listener.enabled() ? "disabled" : accepting ? "accepting" : "not accepting";
            listeners.add(new Listener(listener.name(), listener.address(), state, listener.enabled() && !accepting));
        }
        return listeners;
    }

    @Override
    public List<Component> health() {
        return Flux.fromIterable(checks)
            .flatMap(this::component)
            .sort(Comparator.comparing(Component::name))
            .collectList()
            .block();
    }

    private Mono<Component> component(HealthCheck check) {
        String name = check.componentName().getName();
        if (check instanceof DaemonHealthCheck daemon && !daemon.enabled()) {
            return Mono.just(new Component(name, "disabled", "", false));
        }
        return Mono.from(check.check())
            .map(result -> component(name, result))
            .timeout(CHECK_TIMEOUT, Mono.just(new Component(name, "not answering", "no answer within " + CHECK_TIMEOUT.toSeconds() + " s", true)))
            .onErrorResume(e -> Mono.just(new Component(name, "unhealthy", String.valueOf(e.getMessage()), true)));
    }

    private static Component component(String name, Result result) {
        String state = result.getStatus().getValue();
        return new Component(name, state, result.getCause().orElse(""), !result.isHealthy());
    }
}
