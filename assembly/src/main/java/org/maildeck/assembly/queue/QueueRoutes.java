package org.maildeck.assembly.queue;

import java.util.Map;

import javax.inject.Inject;

import org.apache.james.webadmin.utils.ErrorResponder.ErrorType;
import org.apache.james.webadmin.utils.JsonTransformer;
import org.apache.james.webadmin.utils.Responses;
import org.eclipse.jetty.http.HttpStatus;
import org.maildeck.assembly.webadmin.AdminTokenFilter;
import org.maildeck.assembly.webadmin.MaildeckRoutes;
import org.maildeck.spool.MailQueueAdmin;

import spark.Request;
import spark.Response;
import spark.Service;

/**
 * WebAdmin's {@code /queue}, behind {@code maildeck queue}: {@code GET /queue} (every message
 * waiting or held), {@code POST /queue/flush}, {@code DELETE /queue/ID},
 * {@code POST /queue/ID/hold} and {@code POST /queue/ID/release}. The mail log names the admin of
 * the request's token.
 */
public class QueueRoutes extends MaildeckRoutes {
    private static final String BASE = "/queue";
    private static final String ENTRY = BASE + "/:id";

    private final MailQueueAdmin admin;
    private final JsonTransformer json;

    @Inject
    public QueueRoutes(MailQueueAdmin admin, JsonTransformer json) {
        super(BASE);
        this.admin = admin;
        this.json = json;
    }

    @Override
    public void define(Service service) {
        service.get(BASE, (request, response) -> admin.list().stream().map(QueueRoutes::asJson).toList(), json);
        service.post(BASE + "/flush", (request, response) -> Map.of("flushed", admin.flush()), json);
        service.delete(ENTRY, (request, response) -> answer(admin.delete(id(request), AdminTokenFilter.admin(request)), request, response));
        service.post(ENTRY + "/hold", (request, response) -> answer(admin.hold(id(request), AdminTokenFilter.admin(request)), request, response));
        service.post(ENTRY + "/release", (request, response) -> answer(admin.release(id(request), AdminTokenFilter.admin(request)), request, response));
    }

    private static String id(Request request) {
        return request.params("id");
    }

    private static Object answer(MailQueueAdmin.Outcome outcome, Request request, Response response) {
        return switch (outcome) {
            case DONE -> Responses.returnNoContent(response);
            case NOT_FOUND -> throw notFound("no queued message '" + id(request) + "'");
            case BUSY -> throw refusal(HttpStatus.CONFLICT_409, ErrorType.WRONG_STATE, "message '" + id(request) + "' is being delivered right now");
        };
    }

    private static Map<String, Object> asJson(MailQueueAdmin.QueuedMail mail) {
        return Map.of(
            "id", mail.id(),
            "queue", mail.queue(),
            "held", mail.held(),
            "sender", mail.sender(),
            "recipients", mail.recipients(),
            "size", mail.size(),
            "arrival", mail.arrival().map(Object::toString).orElse(""),
            "nextAttempt", mail.nextAttempt().map(Object::toString).orElse(""));
    }
}
