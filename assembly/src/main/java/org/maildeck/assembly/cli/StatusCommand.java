package org.maildeck.assembly.cli;

import java.util.Map;
import java.util.Optional;

import org.maildeck.assembly.cli.check.ConfiguredListeners;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code maildeck status}: whether the server runs and, when it does, a short dashboard: each
 * configured listener and whether it accepts connections, the health of the components
 * (database, queue broker, clamd, spamd, ...) and the queue sizes. Exit status 0 when it
 * runs (unhealthy parts are reported as warnings), 3 when it does not (LSB).
 */
@Command(name = "status", description = "Whether the server runs; its listeners, component health and queue sizes.")
final class StatusCommand implements java.util.concurrent.Callable<Integer> {
    static final int NOT_RUNNING = 3;

    @ParentCommand
    private MaildeckAdmin admin;

    @Option(names = "--pid", paramLabel = "PID", description = "The server's pid, when known (bin/maildeck passes the pid file's).")
    private Optional<Long> pid;

    @Override
    public Integer call() {
        WebAdminClient webAdmin = admin.webAdmin();
        Optional<JsonNode> health = webAdmin.health();
        if (health.isEmpty()) {
            if (pid.isPresent()) {
                System.out.println("maildeck: starting (pid " + pid.get() + "), not answering yet");
                return 0;
            }
            System.out.println("maildeck: not running");
            return NOT_RUNNING;
        }
        System.out.println("maildeck: running" + pid.map(value -> " (pid " + value + ")").orElse(""));
        System.out.println("listeners:");
        for (ConfiguredListeners.Listener listener : ConfiguredListeners.in(admin.conf())) {
            String state = !listener.enabled() ? "disabled" : listener.accepting() ? "accepting" : "warning: not accepting";
            System.out.printf("  %-12s %-22s %s%n", listener.name(), listener.address(), state);
        }
        System.out.println("health:");
        for (JsonNode check : health.get().path("checks")) {
            String cause = check.path("cause").isTextual() ? ": " + check.path("cause").asText() : "";
            String status = check.path("status").asText();
            System.out.printf("  %-34s %s%s%n", check.path("componentName").asText(),
                status.equals("healthy") ? status : "warning: " + status, cause);
        }
        System.out.println("queues:");
        for (Map.Entry<String, Long> queue : webAdmin.queueSizes().entrySet()) {
            System.out.printf("  %-12s %d%n", queue.getKey(), queue.getValue());
        }
        System.out.printf("  %-12s %d%n", "hold", webAdmin.heldCount());
        return 0;
    }
}
