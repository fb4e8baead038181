package org.maildeck.assembly.webadmin;

import javax.inject.Inject;

import org.apache.james.webadmin.Routes;
import org.apache.james.webadmin.authentication.AuthenticationFilter;

import spark.Service;

/**
 * Not a route: the authentication filter and the body limit on every path. James's WebAdmin
 * puts its filter only on the base paths of routes that are not "public", which leaves
 * {@code /healthcheck} (a {@code PublicRoutes}), and a route that defines paths outside its
 * base path, open.
 */
public class EveryPathAuthenticated implements Routes {
    private final AuthenticationFilter authentication;

    @Inject
    public EveryPathAuthenticated(AuthenticationFilter authentication) {
        this.authentication = authentication;
    }

    @Override
    public String getBasePath() {
        return "/";
    }

    @Override
    public void define(Service service) {
        service.before(authentication);
        service.before(new RequestBodyLimit());
    }
}
