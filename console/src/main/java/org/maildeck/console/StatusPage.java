package org.maildeck.console;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;

import javax.servlet.http.HttpServletResponse;

import org.maildeck.monitoring.LastHour;
import org.maildeck.spool.MonitoredQueues;
import org.maildeck.spool.QueueMXBean;

/**
 * The server at a glance: listeners, component health, queues, and charts of the last hour
 * (messages received, delivered and bounced per minute; each scanner's median and p99 latency;
 * each queue's depth), from the figures the MBeans keep ({@link LastHour}). The super-admin's
 * only, like the queues: it is the whole server's state, not a domain's. Read only: no actions.
 */
final class StatusPage implements Page {

    private final ServerState server;
    private final LastHour lastHour;
    private final MonitoredQueues queues;

    StatusPage(ServerState server, LastHour lastHour, MonitoredQueues queues) {
        this.server = server;
        this.lastHour = lastHour;
        this.queues = queues;
    }

    @Override
    public String name() {
        return "status";
    }

    @Override
    public void show(Exchange exchange) throws IOException {
        if (!exchange.admin.superAdmin()) {
            throw new Page.Forbidden("the server's status is the super-admin's only");
        }
        Map<String, Object> model = exchange.model("Status");
        model.put("onStatus", true);
        model.put("listeners", server.listeners());
        model.put("health", server.health());
        model.put("queues", queueRows());
        model.put("charts", charts(lastHour.minutes()));
        exchange.render(HttpServletResponse.SC_OK, "status", model);
    }

    @Override
    public void change(Exchange exchange, String action) throws IOException {
        exchange.response.sendError(HttpServletResponse.SC_NOT_FOUND);
    }

    private List<Map<String, Object>> queueRows() throws IOException {
        List<Map<String, Object>> rows = new ArrayList<>();
        Map<String, QueueMXBean> all;
        try {
            all = queues.mbeans();
        } catch (Exception e) {
            throw new IOException("queues: " + e.getMessage(), e);
        }
        all.forEach((name, queue) -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", name);
            row.put("messages", queue.getMessageCount());
            row.put("deferred", queue.getDeferredMessageCount());
            long oldest = queue.getOldestMessageAgeSeconds();
            row.put("oldest", oldest <= 0 ? "" : age(Duration.ofSeconds(oldest)));
            rows.add(row);
        });
        return rows;
    }

    private static List<Map<String, Object>> charts(List<LastHour.Minute> minutes) {
        int span = LastHour.MINUTES + 1;
        LineChart messages = new LineChart("Messages per minute", "messages", span, true)
            .series("received", values(minutes, minute -> minute.received()))
            .series("delivered", values(minutes, minute -> minute.delivered()))
            .series("bounced", values(minutes, minute -> minute.bounced()));
        LineChart latency = new LineChart("Scanner latency", "ms", span, false);
        Set<String> scanners = new LinkedHashSet<>();
        minutes.forEach(minute -> scanners.addAll(minute.scanners().keySet()));
        for (String scanner : scanners) {
            latency.series(scanner + " median", values(minutes, minute -> latency(minute, scanner).medianMillis()));
            latency.series(scanner + " p99", values(minutes, minute -> latency(minute, scanner).p99Millis()));
        }
        LineChart depth = new LineChart("Queue depth", "messages", span, false);
        Set<String> queueNames = new LinkedHashSet<>();
        minutes.forEach(minute -> queueNames.addAll(minute.queueDepths().keySet()));
        for (String queue : queueNames) {
            depth.series(queue, values(minutes, minute -> minute.queueDepths().getOrDefault(queue, 0L)));
        }
        return List.of(messages.model(), latency.model(), depth.model());
    }

    private static final LastHour.Latency NO_ANSWER = new LastHour.Latency(0, 0, 0);

    private static LastHour.Latency latency(LastHour.Minute minute, String scanner) {
        return minute.scanners().getOrDefault(scanner, NO_ANSWER);
    }

    private static List<Double> values(List<LastHour.Minute> minutes, ToDoubleFunction<LastHour.Minute> value) {
        return minutes.stream().map(minute -> value.applyAsDouble(minute)).toList();
    }

    private static String age(Duration age) {
        if (age.toHours() > 0) {
            return age.toHours() + " h " + age.toMinutesPart() + " min";
        }
        return age.toMinutes() > 0 ? age.toMinutes() + " min" : age.toSeconds() + " s";
    }
}
