package org.maildeck.console;

import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.servlet.http.HttpServletResponse;

import org.maildeck.spool.MailQueueAdmin;

/**
 * The mail queues, through {@link MailQueueAdmin} as {@code maildeck queue} does: list, flush
 * (deferred mail tried now), hold, release, delete. The super-admin's only: a queue mixes every
 * domain's mail, and what it holds is not split by recipient domain.
 */
final class QueuePage implements Page {

    private static final int ID = 200;

    private final MailQueueAdmin queues;

    QueuePage(MailQueueAdmin queues) {
        this.queues = queues;
    }

    @Override
    public String name() {
        return "queue";
    }

    @Override
    public void show(Exchange exchange) throws IOException {
        requireSuperAdmin(exchange);
        List<MailQueueAdmin.QueuedMail> queued = withQueues(queues::list);
        Map<String, Object> model = exchange.model("Queue");
        model.put("onQueue", true);
        Listing.page(queued, mail -> mail.id() + " " + mail.sender() + " " + String.join(" ", mail.recipients()),
            exchange.field("q", Exchange.Fields.SEARCH), exchange.request.getParameter("page"), "/queue", "", QueuePage::row, model);
        exchange.render(HttpServletResponse.SC_OK, "queue", model);
    }

    @Override
    public void change(Exchange exchange, String action) throws IOException {
        requireSuperAdmin(exchange);
        if (action.equals("flush")) {
            long flushed = withQueues(queues::flush);
            exchange.audit("queue flush, " + flushed + " deferred messages");
            exchange.redirectAfterChange("/queue", flushed + " deferred messages scheduled for delivery now.");
            return;
        }
        String id = exchange.field("id", ID);
        if (id.isEmpty()) {
            throw new Exchange.FieldRefused("id: missing");
        }
        String done;
        MailQueueAdmin.Outcome outcome;
        switch (action) {
            case "hold" -> {
                outcome = withQueues(() -> queues.hold(id, exchange.admin.name()));
                done = "held";
            }
            case "release" -> {
                outcome = withQueues(() -> queues.release(id, exchange.admin.name()));
                done = "released";
            }
            case "delete" -> {
                outcome = withQueues(() -> queues.delete(id, exchange.admin.name()));
                done = "deleted";
            }
            default -> {
                exchange.response.sendError(HttpServletResponse.SC_NOT_FOUND);
                return;
            }
        }
        switch (outcome) {
            case NOT_FOUND -> throw new Exchange.FieldRefused("no queued message " + id + (action.equals("release") ? " on hold" : ""));
            case BUSY -> throw new Exchange.FieldRefused("message " + id + " is being delivered right now: try again");
            case DONE -> {
                exchange.audit("queue " + action + " " + id);
                exchange.redirectAfterChange("/queue", "Message " + id + " " + done + ".");
            }
        }
    }

    private static void requireSuperAdmin(Exchange exchange) {
        if (!exchange.admin.superAdmin()) {
            throw new Page.Forbidden("the queues are the super-admin's only");
        }
    }

    private static Map<String, Object> row(MailQueueAdmin.QueuedMail mail) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", mail.id());
        row.put("queue", mail.queue());
        row.put("held", mail.held());
        row.put("sender", mail.sender().isEmpty() ? "<>" : mail.sender());
        row.put("recipients", String.join(", ", mail.recipients()));
        row.put("size", String.valueOf(mail.size()));
        row.put("arrival", mail.arrival().map(Instant::toString).orElse(""));
        row.put("nextAttempt", mail.nextAttempt().map(Instant::toString).orElse(""));
        return row;
    }

    private interface QueueCall<T> {
        T call() throws Exception;
    }

    /** MailQueueAdmin's failures are the queue's (I/O of the spool): shown as such, not as a refusal. */
    private static <T> T withQueues(QueueCall<T> call) throws IOException {
        try {
            return call.call();
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("queue: " + e.getMessage(), e);
        }
    }
}
