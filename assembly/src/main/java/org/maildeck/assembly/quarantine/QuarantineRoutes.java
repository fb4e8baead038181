package org.maildeck.assembly.quarantine;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

import javax.inject.Inject;
import javax.mail.MessagingException;

import org.apache.james.webadmin.utils.JsonTransformer;
import org.apache.james.webadmin.utils.Responses;
import org.maildeck.assembly.webadmin.AdminTokenFilter;
import org.maildeck.assembly.webadmin.MaildeckRoutes;
import org.maildeck.contentfilter.quarantine.Quarantine;
import org.maildeck.contentfilter.quarantine.QuarantineEntry;
import org.maildeck.mailets.quarantine.QuarantineDeletion;
import org.maildeck.mailets.quarantine.QuarantineRelease;

import spark.Request;
import spark.Response;
import spark.Service;

/**
 * WebAdmin's {@code /quarantine}, behind {@code maildeck quarantine}:
 * {@code GET /quarantine} (entries, oldest first), {@code GET /quarantine/ID},
 * {@code GET /quarantine/ID/message} (the message as caught), {@code POST /quarantine/ID/release}
 * and {@code DELETE /quarantine/ID}. The mail log names the admin of the request's token.
 */
public class QuarantineRoutes extends MaildeckRoutes {
    private static final String BASE = "/quarantine";
    private static final String ENTRY = BASE + "/:id";

    private final Quarantine quarantine;
    private final QuarantineRelease release;
    private final QuarantineDeletion deletion;
    private final JsonTransformer json;

    @Inject
    public QuarantineRoutes(Quarantine quarantine, QuarantineRelease release, QuarantineDeletion deletion, JsonTransformer json) {
        super(BASE);
        this.quarantine = quarantine;
        this.release = release;
        this.deletion = deletion;
        this.json = json;
    }

    @Override
    public void define(Service service) {
        service.get(BASE, (request, response) -> quarantine.list().stream().map(QuarantineRoutes::asJson).toList(), json);
        service.get(ENTRY, (request, response) -> asJson(entry(request)), json);
        service.get(ENTRY + "/message", this::message);
        service.post(ENTRY + "/release", this::release, json);
        service.delete(ENTRY, this::delete);
    }

    private QuarantineEntry entry(Request request) {
        return quarantine.find(request.params("id")).orElseThrow(() -> noEntry(request.params("id")));
    }

    private Object message(Request request, Response response) throws IOException {
        entry(request);
        try (InputStream in = quarantine.open(request.params("id")).orElseThrow(() -> noEntry(request.params("id")))) {
            response.type("message/rfc822");
            response.raw().getOutputStream().write(in.readAllBytes());
        }
        return "";
    }

    private Object release(Request request, Response response) throws IOException, MessagingException {
        String queueId = release.release(request.params("id"), AdminTokenFilter.admin(request)).orElseThrow(() -> noEntry(request.params("id")));
        return Map.of("id", request.params("id"), "queueId", queueId);
    }

    private Object delete(Request request, Response response) throws IOException {
        if (!deletion.delete(request.params("id"), AdminTokenFilter.admin(request))) {
            throw noEntry(request.params("id"));
        }
        return Responses.returnNoContent(response);
    }

    private static Map<String, Object> asJson(QuarantineEntry entry) {
        return Map.of(
            "id", entry.id(),
            "time", entry.time().toString(),
            "category", entry.category(),
            "reason", entry.reason(),
            "sender", entry.sender(),
            "recipients", List.copyOf(entry.recipients()),
            "size", entry.size());
    }

    private static RuntimeException noEntry(String id) {
        return notFound("no quarantine entry '" + (Quarantine.isWellFormed(id) ? id : "(malformed id)") + "'");
    }
}
