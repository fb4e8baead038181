package org.maildeck.console;

import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import javax.inject.Inject;

import org.apache.james.core.Domain;
import org.apache.james.webadmin.Routes;
import org.maildeck.adminaccess.accounts.AccountRefused;
import org.maildeck.adminaccess.accounts.AccountStore;
import org.maildeck.mailets.MailLog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import spark.Request;
import spark.Response;
import spark.Service;

/**
 * WebAdmin's routes for {@code maildeck console-admin add|passwd|remove|list} (behind the admin
 * token, as every WebAdmin path): the first admin of the console is made on the command line.
 * <ul>
 *   <li>{@code GET /maildeck/console-admins}: {@code [{"name":..., "domains":[...]}]};</li>
 *   <li>{@code PUT /maildeck/console-admins/NAME} {@code {"password":..., "domains":[...]}}
 *   (no domains: the super-admin): 204;</li>
 *   <li>{@code PUT /maildeck/console-admins/NAME/password} {@code {"password":...}}: 204;</li>
 *   <li>{@code DELETE /maildeck/console-admins/NAME}: 204.</li>
 * </ul>
 * A refusal is 400 (malformed), 404 (no such admin) or 409, with {@code {"message":...}}, the
 * line the command prints. Each change is a mail-log line; a new password or the removal ends
 * the admin's open sessions.
 */
public class ConsoleAdminRoutes implements Routes {

    static final String BASE = "/maildeck/console-admins";

    private final ConsoleAdmins admins;
    private final Sessions sessions;
    private final AccountStore store;
    private final ObjectMapper json = new ObjectMapper();

    @Inject
    public ConsoleAdminRoutes(ConsoleAdmins admins, Sessions sessions, AccountStore store) {
        this.admins = admins;
        this.sessions = sessions;
        this.store = store;
    }

    @Override
    public String getBasePath() {
        return BASE;
    }

    @Override
    public void define(Service service) {
        service.get(BASE, (request, response) -> {
            response.type("application/json");
            return json.writeValueAsString(admins.list().stream()
                .map(admin -> Map.of("name", admin.name(), "domains", admin.domains().stream().map(Domain::asString).toList()))
                .toList());
        });
        service.put(BASE + "/:name", (request, response) -> change(response, () -> {
            JsonNode body = body(request);
            List<String> domains = body.path("domains").isArray()
                ? toStrings(body.path("domains"))
                : List.of();
            Predicate<Domain> local = store::domainExists;
            ConsoleAdmin admin = admins.add(request.params("name"), body.path("password").asText(""), domains, local);
            MailLog.LOGGER.info("console: admin {} added ({}), by maildeck console-admin", admin.name(), ConsoleAdmins.describe(admin));
        }));
        service.put(BASE + "/:name/password", (request, response) -> change(response, () -> {
            ConsoleAdmin admin = admins.changePassword(request.params("name"), body(request).path("password").asText(""));
            sessions.endAllOf(admin.name());
            MailLog.LOGGER.info("console: admin {} password changed, by maildeck console-admin", admin.name());
        }));
        service.delete(BASE + "/:name", (request, response) -> change(response, () -> {
            ConsoleAdmin admin = admins.remove(request.params("name"));
            sessions.endAllOf(admin.name());
            MailLog.LOGGER.info("console: admin {} removed, by maildeck console-admin", admin.name());
        }));
    }

    private interface Change {
        void run() throws JsonProcessingException;
    }

    private String change(Response response, Change change) throws JsonProcessingException {
        try {
            change.run();
            response.status(204);
            return "";
        } catch (AccountRefused e) {
            response.status(e.usage() ? 400 : e.getMessage().startsWith("no such") ? 404 : 409);
            response.type("application/json");
            return json.writeValueAsString(Map.of("message", e.getMessage()));
        }
    }

    private JsonNode body(Request request) {
        try {
            return json.readTree(request.body());
        } catch (JsonProcessingException e) {
            throw AccountRefused.usage("not a JSON body");
        }
    }

    private static List<String> toStrings(JsonNode array) {
        return java.util.stream.StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }
}
