package org.maildeck.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import javax.management.JMException;

import org.maildeck.antispam.SpamFilterSettings;
import org.maildeck.adminaccess.ConfiguredListeners;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code maildeck status}: whether the server runs and, when it does, a short dashboard: each
 * configured listener and whether it accepts connections, the health of the components
 * (database, queue broker, clamd, spamd, ...), the queues, the scanners' figures and the last
 * minute's counts (read from the server's MBeans, as a JMX console would). Exit status 0 when it
 * runs (unhealthy parts are reported as warnings), 3 when it does not (LSB), 1 when it runs but
 * does not answer in time or its SMTP service does not answer (a hung server). Never waits more
 * than about 20 s for the server.
 */
@Command(name = "status", description = "Whether the server runs; its listeners, component health, queues, scanners, the last minute's counts, the mail-authentication decisions and Sieve's counts.")
final class StatusCommand implements java.util.concurrent.Callable<Integer> {
    static final int NOT_RUNNING = 3;
    /** The process runs but takes no mail, or does not answer at all (LSB: dead, pid file left). */
    static final int NOT_ANSWERING = 1;
    /** The server's check of its SMTP service (org.maildeck.assembly.liveness.SmtpServiceHealthCheck). */
    private static final String SMTP_SERVICE = "SMTP service";

    @ParentCommand
    private MaildeckAdmin admin;

    @Option(names = "--pid", paramLabel = "PID", description = "The server's pid, when known (bin/maildeck passes the pid file's).")
    private Optional<Long> pid;

    @Override
    public Integer call() {
        WebAdminClient webAdmin = admin.webAdmin();
        String process = pid.map(value -> " (pid " + value + ")").orElse("");
        Optional<JsonNode> health;
        try {
            health = webAdmin.health();
        } catch (AdminFailure noAnswer) {
            System.out.println("maildeck: not answering" + process + ": " + noAnswer.getMessage());
            return NOT_ANSWERING;
        }
        if (health.isEmpty()) {
            if (pid.isPresent()) {
                System.out.println("maildeck: starting (pid " + pid.get() + "), not answering yet");
                return 0;
            }
            System.out.println("maildeck: not running");
            return NOT_RUNNING;
        }
        Optional<String> mailStopped = unhealthyCause(health.get(), SMTP_SERVICE);
        if (mailStopped.isPresent()) {
            System.out.println("maildeck: not answering" + process + ": " + SMTP_SERVICE + ": " + mailStopped.get());
        } else {
            System.out.println("maildeck: running" + process);
        }
        System.out.println("listeners:");
        for (ConfiguredListeners.Listener listener : ConfiguredListeners.in(admin.conf())) {
            String state = !listener.enabled() ? "disabled" : listener.accepting() ? "accepting" : "warning: not accepting";
            System.out.printf("  %-12s %-22s %s%n", listener.name(), listener.address(), state);
            if (listener.enabled()) {
                listener.nextHopAccepting().ifPresent(accepting -> System.out.printf("  %-12s %-22s %s%n", "  next hop", listener.nextHop().get(),
                    accepting ? "accepting" : "warning: not accepting (the filter port answers 451, Postfix keeps the mail)"));
            }
        }
        System.out.println("health:");
        boolean spamdEnabled = spamdEnabled(admin.conf());
        for (JsonNode check : health.get().path("checks")) {
            String component = check.path("componentName").asText();
            if (component.equals("spamd") && !spamdEnabled) {
                // its check passes without asking spamd: "healthy" would say spam is filtered
                System.out.printf("  %-34s disabled (spamd.enabled=false in contentfilter.properties)%n", component);
                continue;
            }
            String cause = check.path("cause").isTextual() ? ": " + check.path("cause").asText() : "";
            String status = check.path("status").asText();
            System.out.printf("  %-34s %s%s%n", component, status.equals("healthy") ? status : "warning: " + status, cause);
        }
        try (ServerMBeans mbeans = ServerMBeans.connect(admin.conf())) {
            printQueues(mbeans, webAdmin.heldCount());
            printScanners(mbeans);
            printLastMinute(mbeans);
            printMailAuth(mbeans);
            printSieve(mbeans);
        } catch (IOException | JMException e) {
            System.out.println("queues:");
            for (Map.Entry<String, Long> queue : webAdmin.queueSizes().entrySet()) {
                System.out.printf("  %-12s %d%n", queue.getKey(), queue.getValue());
            }
            System.out.printf("  %-12s %d%n", "hold", webAdmin.heldCount());
            System.out.println("warning: no scanner figures or last minute's counts without JMX: " + e.getMessage());
        }
        return mailStopped.isPresent() ? NOT_ANSWERING : 0;
    }

    /** The cause given by the check of {@code component} when it is unhealthy. */
    private static Optional<String> unhealthyCause(JsonNode health, String component) {
        for (JsonNode check : health.path("checks")) {
            if (check.path("componentName").asText().equals(component) && check.path("status").asText().equals("unhealthy")) {
                return Optional.of(check.path("cause").isTextual() ? check.path("cause").asText() : "unhealthy");
            }
        }
        return Optional.empty();
    }

    /** As the server read contentfilter.properties at its start; enabled when it cannot be read. */
    private static boolean spamdEnabled(Path conf) {
        Properties settings = new Properties();
        try (Reader reader = Files.newBufferedReader(conf.resolve("contentfilter.properties"), StandardCharsets.ISO_8859_1)) {
            settings.load(reader);
            return SpamFilterSettings.spamdEnabled(settings::getProperty);
        } catch (IOException | RuntimeException e) {
            return true;
        }
    }

    private static void printQueues(ServerMBeans mbeans, long held) throws IOException, JMException {
        System.out.println("queues:");
        for (String queue : mbeans.names("Queue")) {
            String mbean = "org.maildeck:type=Queue,name=" + queue;
            long messages = mbeans.count(mbean, "MessageCount");
            long deferred = mbeans.count(mbean, "DeferredMessageCount");
            String detail = messages == 0 ? ""
                : "  (" + (deferred > 0 ? deferred + " deferred, " : "") + "oldest " + age(mbeans.count(mbean, "OldestMessageAgeSeconds")) + ")";
            System.out.printf("  %-12s %d%s%n", queue, messages, detail);
        }
        System.out.printf("  %-12s %d%n", "hold", held);
    }

    private static void printScanners(ServerMBeans mbeans) throws IOException, JMException {
        System.out.println("scanners (since start; latency of the last 5 minutes):");
        for (String scanner : mbeans.names("Scanner")) {
            String mbean = "org.maildeck:type=Scanner,name=" + scanner;
            System.out.printf(Locale.ROOT, "  %-12s %d verdicts, %d failures (%d timeouts, %d circuit open), latency median %.1f ms, p99 %.1f ms%n",
                scanner, mbeans.count(mbean, "VerdictsTotal"), mbeans.count(mbean, "FailuresTotal"), mbeans.count(mbean, "TimeoutsTotal"),
                mbeans.count(mbean, "CircuitOpenTotal"), mbeans.decimal(mbean, "LatencyMedianMillis"), mbeans.decimal(mbean, "LatencyP99Millis"));
        }
    }

    private static void printLastMinute(ServerMBeans mbeans) throws IOException, JMException {
        String mbean = "org.maildeck:type=LastMinute";
        System.out.println("last minute:");
        System.out.printf("  received %d, delivered %d, sent %d, scanned %d, viruses %d, spam killed %d, relay denied %d, auth failures %d%n",
            mbeans.count(mbean, "ReceivedMessages"), mbeans.count(mbean, "DeliveredMessages"), mbeans.count(mbean, "SentMessages"),
            mbeans.count(mbean, "ScannedMessages"), mbeans.count(mbean, "VirusesFound"), mbeans.count(mbean, "SpamKilledMessages"),
            mbeans.count(mbean, "RelayDenials"), mbeans.count(mbean, "AuthFailures"));
    }

    private static void printMailAuth(ServerMBeans mbeans) throws IOException, JMException {
        Map<String, Long> counts = mbeans.counts("org.maildeck:type=MailAuth", "Counters");
        System.out.println("mail authentication (since start):" + (counts.isEmpty() ? " nothing checked yet" : ""));
        counts.forEach((decision, count) -> System.out.printf("  %-34s %d%n", decision, count));
    }

    private static void printSieve(ServerMBeans mbeans) throws IOException, JMException {
        String mbean = "org.maildeck:type=Sieve";
        System.out.printf("sieve (since start): %d scripts run, %d failed, %d vacation replies%n",
            mbeans.count(mbean, "ScriptsRunTotal"), mbeans.count(mbean, "ScriptsFailedTotal"), mbeans.count(mbean, "VacationRepliesSentTotal"));
    }

    /** As an admin reads a wait: {@code 45s}, {@code 12m}, {@code 4h12m}, {@code 3d4h}. */
    static String age(long seconds) {
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return seconds / 60 + "m";
        }
        if (seconds < 86400) {
            return seconds / 3600 + "h" + (seconds % 3600) / 60 + "m";
        }
        return seconds / 86400 + "d" + (seconds % 86400) / 3600 + "h";
    }
}
