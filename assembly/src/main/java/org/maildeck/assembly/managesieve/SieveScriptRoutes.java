package org.maildeck.assembly.managesieve;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import javax.inject.Inject;
import javax.mail.MessagingException;

import org.apache.james.core.Username;
import org.apache.james.managesieve.api.SyntaxException;
import org.apache.james.sieverepository.api.ScriptContent;
import org.apache.james.sieverepository.api.ScriptName;
import org.apache.james.sieverepository.api.exception.QuotaExceededException;
import org.apache.james.sieverepository.api.exception.ScriptNotFoundException;
import org.apache.james.sieverepository.api.exception.SieveRepositoryException;
import org.apache.james.user.api.UsersRepository;
import org.apache.james.user.api.UsersRepositoryException;
import org.apache.james.webadmin.utils.ErrorResponder.ErrorType;
import org.apache.james.webadmin.utils.JsonTransformer;
import org.apache.james.webadmin.utils.Responses;
import org.eclipse.jetty.http.HttpStatus;
import org.maildeck.assembly.webadmin.AdminTokenFilter;
import org.maildeck.assembly.webadmin.MaildeckRoutes;
import org.maildeck.mailets.MailLog;
import org.maildeck.mailets.sieve.DeliverySieve;
import org.maildeck.mailets.sieve.PigeonholeSieveRepository;

import spark.Request;
import spark.Response;
import spark.Service;

/**
 * WebAdmin's {@code /sievescripts}, behind {@code maildeck sieve}: the users' scripts in
 * Pigeonhole's layout, through the repository ManageSieve writes with (James's own
 * {@code /sieve} routes keep scripts in the database):
 * {@code GET /sievescripts/USER} (names, the active one flagged),
 * {@code GET /sievescripts/USER/NAME} (the script), {@code PUT /sievescripts/USER/NAME} (the
 * body, checked as ManageSieve's PUTSCRIPT checks it) and
 * {@code POST /sievescripts/USER/NAME/activate} ({@code NAME} empty: none active).
 */
public class SieveScriptRoutes extends MaildeckRoutes {
    private static final String BASE = "/sievescripts";
    private static final String USER = BASE + "/:user";
    private static final String SCRIPT = USER + "/:name";

    private final PigeonholeSieveRepository scripts;
    private final UsersRepository users;
    private final JsonTransformer json;
    private final PositionedSieveParser parser;

    @Inject
    public SieveScriptRoutes(PigeonholeSieveRepository scripts, UsersRepository users, JsonTransformer json) throws MessagingException {
        super(BASE);
        this.scripts = scripts;
        this.users = users;
        this.json = json;
        this.parser = new PositionedSieveParser(DeliverySieve.boundedJsieve());
    }

    @Override
    public void define(Service service) {
        service.get(USER, (request, response) -> list(request), json);
        service.get(SCRIPT, this::show);
        service.put(SCRIPT, this::put);
        service.post(SCRIPT + "/activate", this::activate);
        service.post(USER + "/deactivate", this::deactivate);
    }

    private List<Map<String, Object>> list(Request request) throws SieveRepositoryException, UsersRepositoryException {
        return scripts.listScripts(user(request)).stream()
            .map(summary -> Map.<String, Object>of("name", summary.getName().getValue(), "active", summary.isActive()))
            .toList();
    }

    private Object show(Request request, Response response) throws IOException, SieveRepositoryException, UsersRepositoryException {
        try (InputStream script = scripts.getScript(user(request), new ScriptName(request.params("name")))) {
            response.type("application/sieve; charset=utf-8");
            return new String(script.readAllBytes(), StandardCharsets.UTF_8);
        } catch (ScriptNotFoundException e) {
            throw notFound("no script '" + request.params("name") + "'");
        }
    }

    private Object put(Request request, Response response) throws SieveRepositoryException, UsersRepositoryException {
        Username user = user(request);
        String name = request.params("name");
        String content = new String(request.bodyAsBytes(), StandardCharsets.UTF_8);
        try {
            parser.parse(content);
            scripts.putScript(user, new ScriptName(name), new ScriptContent(content));
        } catch (SyntaxException e) {
            throw refusal(HttpStatus.BAD_REQUEST_400, ErrorType.INVALID_ARGUMENT, "the script does not parse: " + e.getMessage());
        } catch (PigeonholeSieveRepository.InvalidScriptNameException e) {
            throw refusal(HttpStatus.BAD_REQUEST_400, ErrorType.INVALID_ARGUMENT, e.getMessage());
        } catch (QuotaExceededException e) {
            throw refusal(HttpStatus.PAYLOAD_TOO_LARGE_413, ErrorType.INVALID_ARGUMENT, "quota: " + e.getMessage());
        }
        MailLog.LOGGER.info("managesieve({}): stored script \"{}\" (by admin {})", user.asString(), name, AdminTokenFilter.admin(request));
        return Responses.returnNoContent(response);
    }

    private Object activate(Request request, Response response) throws SieveRepositoryException, UsersRepositoryException {
        Username user = user(request);
        String name = request.params("name");
        try {
            scripts.setActive(user, new ScriptName(name));
        } catch (ScriptNotFoundException e) {
            throw notFound("no script '" + name + "'");
        }
        MailLog.LOGGER.info("managesieve({}): activated script \"{}\" (by admin {})", user.asString(), name, AdminTokenFilter.admin(request));
        return Responses.returnNoContent(response);
    }

    private Object deactivate(Request request, Response response) throws SieveRepositoryException, UsersRepositoryException {
        Username user = user(request);
        scripts.setActive(user, PigeonholeSieveRepository.NO_SCRIPT_NAME);
        MailLog.LOGGER.info("managesieve({}): deactivated scripts (by admin {})", user.asString(), AdminTokenFilter.admin(request));
        return Responses.returnNoContent(response);
    }

    private Username user(Request request) throws UsersRepositoryException {
        Username user = Username.of(request.params("user"));
        if (!users.contains(user)) {
            throw notFound("no user '" + user.asString() + "'");
        }
        return user;
    }
}
