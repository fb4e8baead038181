package org.maildeck.assembly.webadmin;

import org.apache.james.jwt.JwtTokenVerifier;
import org.apache.james.webadmin.authentication.AuthenticationFilter;
import org.apache.james.webadmin.authentication.JwtFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import spark.HaltException;
import spark.Request;
import spark.Response;

/**
 * WebAdmin's authentication, whatever {@code jwt.enabled} says: James's {@link JwtFilter} (a
 * Bearer token signed with the admin key, claim {@code admin: true}; {@code sub} becomes the
 * request's {@link #LOGIN}), applied once per request although it is registered both for every
 * path and for each route. A refusal says how to authenticate and closes the connection, so that
 * a refused request's body is never read; a change by an admin gets a log line naming them.
 */
public class AdminTokenFilter implements AuthenticationFilter {
    private static final Logger LOGGER = LoggerFactory.getLogger("org.maildeck.webadmin");

    private final JwtFilter tokenCheck;

    public AdminTokenFilter(JwtTokenVerifier verifier) {
        this.tokenCheck = new JwtFilter(() -> verifier);
    }

    @Override
    public void handle(Request request, Response response) throws Exception {
        if (request.attribute(LOGIN) != null) {
            return;
        }
        try {
            tokenCheck.handle(request, response);
        } catch (HaltException refused) {
            response.header("WWW-Authenticate", "Bearer realm=\"maildeck\"");
            response.header("Connection", "close");
            LOGGER.warn("WebAdmin refused {} {} from {}: {}", request.requestMethod(), request.pathInfo(), request.ip(), refused.body());
            throw refused;
        }
        String admin = request.attribute(LOGIN);
        if (admin != null && !request.requestMethod().equals("GET") && !request.requestMethod().equals("HEAD")) {
            LOGGER.info("WebAdmin {} {} by {}", request.requestMethod(), request.pathInfo(), admin);
        }
    }

    /** The admin the request's token names ({@code sub}), for the mail log of what it changes. */
    public static String admin(Request request) {
        String admin = request.attribute(LOGIN);
        if (admin == null) {
            throw new IllegalStateException("request to " + request.pathInfo() + " was not authenticated");
        }
        return admin;
    }
}
