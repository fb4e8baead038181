package org.maildeck.assembly.liveness;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.inject.Inject;

import org.apache.james.core.healthcheck.Result;
import org.apache.james.utils.GuiceProbe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import reactor.core.publisher.Mono;

/**
 * The server's side of systemd's watchdog ({@code WatchdogSec=} in the unit): tells systemd it
 * is ready once its listeners are up, then that it is alive ({@code WATCHDOG=1}) every half
 * watchdog period, but only while the {@link SmtpServiceHealthCheck SMTP service} answers. A
 * server that hangs (its process alive, its mail stopped) is then ended and restarted by
 * systemd instead of staying up for nothing. Does nothing outside systemd.
 */
public class SystemdWatchdog implements GuiceProbe {

    private static final Logger LOGGER = LoggerFactory.getLogger(SystemdWatchdog.class);

    private final SmtpServiceHealthCheck smtpService;
    private final Optional<SystemdNotify> systemd;
    private final Optional<Duration> watchdogPeriod;
    private ScheduledExecutorService feeder;
    private boolean alive = true;

    @Inject
    SystemdWatchdog(SmtpServiceHealthCheck smtpService) {
        this(smtpService, System.getenv(), ProcessHandle.current().pid());
    }

    SystemdWatchdog(SmtpServiceHealthCheck smtpService, Map<String, String> environment, long pid) {
        this.smtpService = smtpService;
        this.systemd = SystemdNotify.fromEnvironment(environment);
        this.watchdogPeriod = watchdogPeriod(environment, pid);
    }

    /** The period systemd set for this process (WATCHDOG_USEC, for WATCHDOG_PID when given). */
    static Optional<Duration> watchdogPeriod(Map<String, String> environment, long pid) {
        String usec = environment.getOrDefault("WATCHDOG_USEC", "");
        String forPid = environment.getOrDefault("WATCHDOG_PID", "");
        if (usec.isBlank() || (!forPid.isBlank() && !forPid.equals(Long.toString(pid)))) {
            return Optional.empty();
        }
        try {
            long micros = Long.parseLong(usec.trim());
            return micros > 0 ? Optional.of(Duration.ofNanos(micros * 1000)) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Called once the server is ready: READY=1, then the watchdog when systemd asked for one. */
    public synchronized void serverReady() {
        if (systemd.isEmpty()) {
            return;
        }
        notifySystemd("READY=1");
        watchdogPeriod.ifPresent(period -> {
            Duration interval = period.dividedBy(2);
            LOGGER.info("systemd watchdog: telling systemd every {} s that the SMTP service answers (WatchdogSec={})",
                interval.toSeconds(), period.toSeconds());
            feeder = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "systemd-watchdog");
                thread.setDaemon(true);
                return thread;
            });
            feeder.scheduleWithFixedDelay(() -> feed(probeLimit(period)), 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        });
    }

    public synchronized void serverStopping() {
        if (feeder != null) {
            feeder.shutdownNow();
        }
        systemd.ifPresent(notify -> notifySystemd("STOPPING=1"));
    }

    /** Each probe must end well within the half period left before systemd gives up. */
    static Duration probeLimit(Duration period) {
        Duration quarter = period.dividedBy(4);
        return quarter.compareTo(TimeBoundHealthCheck.LIMIT) < 0 ? quarter : TimeBoundHealthCheck.LIMIT;
    }

    void feed(Duration limit) {
        Result result = Mono.from(new TimeBoundHealthCheck(smtpService, limit).check())
            .onErrorResume(e -> Mono.just(Result.unhealthy(SmtpServiceHealthCheck.COMPONENT, "check failed", e)))
            .block();
        if (result.isHealthy()) {
            if (!alive) {
                LOGGER.info("systemd watchdog: the SMTP service answers again");
            }
            alive = true;
            notifySystemd("WATCHDOG=1");
        } else if (alive) {
            alive = false;
            LOGGER.error("systemd watchdog: SMTP service not answering ({}); systemd restarts the server unless it recovers within WatchdogSec",
                result.getCause().orElse("no cause"));
        }
    }

    private void notifySystemd(String state) {
        try {
            systemd.orElseThrow().send(state);
        } catch (IOException e) {
            LOGGER.warn("systemd watchdog: could not tell systemd {}: {}", state, e.getMessage());
        }
    }
}
