package org.maildeck.assembly.webadmin;

import org.apache.james.webadmin.Routes;
import org.apache.james.webadmin.utils.ErrorResponder;
import org.apache.james.webadmin.utils.ErrorResponder.ErrorType;
import org.eclipse.jetty.http.HttpStatus;

/**
 * One of Maildeck's own WebAdmin route groups (queue, quarantine, Sieve scripts): the paths under
 * one base, and refusals answered as James's own routes answer them (status, type and message in
 * JSON), so that {@code maildeck} reads the errors of both alike.
 */
public abstract class MaildeckRoutes implements Routes {

    private final String basePath;

    protected MaildeckRoutes(String basePath) {
        this.basePath = basePath;
    }

    @Override
    public final String getBasePath() {
        return basePath;
    }

    /** Thrown by a route, ends the request with this answer. */
    protected static RuntimeException refusal(int status, ErrorType type, String message) {
        return ErrorResponder.builder().statusCode(status).type(type).message(message).haltError();
    }

    protected static RuntimeException notFound(String message) {
        return refusal(HttpStatus.NOT_FOUND_404, ErrorType.NOT_FOUND, message);
    }
}
