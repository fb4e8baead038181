package org.maildeck.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import javax.servlet.http.Cookie;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.maildeck.adminaccess.accounts.AccountRefused;

/**
 * The gate every request of the console passes, before any page sees it:
 * <ul>
 *   <li>the security headers on every answer (a CSP of {@code 'self'} only, no framing, no
 *   sniffing, no referrer, no caching);</li>
 *   <li>exact routes only: {@code GET /name}, {@code POST /name/action}, the login, the style
 *   sheet; anything else is 404 (Jetty itself answers 400 to ambiguous paths such as
 *   {@code %2e%2e});</li>
 *   <li>a POST must be a form ({@code application/x-www-form-urlencoded}, 415 otherwise) of at
 *   most {@code max.request.size} (413), from a live session (403) carrying that session's
 *   CSRF token (403): refused before its fields are looked at, so nothing changes;</li>
 *   <li>the admin is looked up again at each request: removed or narrowed since the login,
 *   it has what it has now;</li>
 *   <li>a mail user's session (self-service, {@code /account}) reaches its own page and
 *   logout only: every admin page answers it 403, and an admin's session does not reach
 *   {@code /account}.</li>
 * </ul>
 * Refusals of the account rules are shown as 400 with their message, a domain admin's reach
 * into another domain as 403.
 */
final class ConsoleServlet extends HttpServlet {

    static final String SESSION_COOKIE = "maildeck_session";
    private static final String FORM = "application/x-www-form-urlencoded";
    private static final String CSP = "default-src 'self'; script-src 'none'; object-src 'none'; base-uri 'none'; "
        + "form-action 'self'; frame-ancestors 'none'";

    private final Map<String, Page> pages = new HashMap<>();
    private final Page accountPage;
    private final Login login;
    private final Login mailUserLogin;
    private final Sessions sessions;
    private final ConsoleAdmins admins;
    private final MailUsers mailUsers;
    private final Views views;
    private final int maxRequestBytes;
    private final byte[] styleSheet;

    ConsoleServlet(List<Page> pages, Page accountPage, Login login, Login mailUserLogin, Sessions sessions, ConsoleAdmins admins,
                   MailUsers mailUsers, Views views, int maxRequestBytes) {
        pages.forEach(page -> this.pages.put(page.name(), page));
        this.accountPage = accountPage;
        this.login = login;
        this.mailUserLogin = mailUserLogin;
        this.sessions = sessions;
        this.admins = admins;
        this.mailUsers = mailUsers;
        this.views = views;
        this.maxRequestBytes = maxRequestBytes;
        try (InputStream css = ConsoleServlet.class.getResourceAsStream("console.css")) {
            this.styleSheet = css.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        securityHeaders(response);
        String path = Optional.ofNullable(request.getPathInfo()).orElse("/");
        String method = request.getMethod();
        if (method.equals("GET") || method.equals("HEAD")) {
            get(path, request, response);
        } else if (method.equals("POST")) {
            post(path, request, response);
        } else {
            response.setHeader("Allow", "GET, HEAD, POST");
            plain(response, HttpServletResponse.SC_METHOD_NOT_ALLOWED, "Method not allowed");
        }
    }

    private void get(String path, HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (path.equals("/static/console.css")) {
            response.setContentType("text/css; charset=utf-8");
            response.getOutputStream().write(styleSheet);
            return;
        }
        if (path.equals("/login")) {
            login.show(request, response);
            return;
        }
        if (path.equals("/account/login")) {
            mailUserLogin.show(request, response);
            return;
        }
        Optional<Page> page = path.equals("/") ? Optional.of(pages.get("domains")) : Optional.ofNullable(pageOf(path.substring(1)));
        if (page.isEmpty()) {
            notFound(response);
            return;
        }
        Optional<Exchange> exchange = loggedIn(request, response);
        if (exchange.isEmpty()) {
            redirect(response, page.get() == accountPage ? "/account/login" : "/login");
            return;
        }
        try {
            requireSessionFor(page.get(), exchange.get());
            page.get().show(exchange.get());
        } catch (Exchange.FieldRefused | AccountRefused | Page.Forbidden e) {
            refused(exchange.get(), e, path);
        }
    }

    private void post(String path, HttpServletRequest request, HttpServletResponse response) throws IOException {
        String[] parts = path.split("/", -1);
        boolean known = path.equals("/login") || path.equals("/account/login") || path.equals("/logout")
            || (parts.length == 3 && pageOf(parts[1]) != null);
        if (!known) {
            notFound(response);
            return;
        }
        String type = Optional.ofNullable(request.getContentType()).orElse("").toLowerCase(Locale.ROOT);
        if (!type.equals(FORM) && !type.startsWith(FORM + ";")) {
            message(response, HttpServletResponse.SC_UNSUPPORTED_MEDIA_TYPE, "Only forms (" + FORM + ") are accepted.", null);
            return;
        }
        if (request.getContentLengthLong() > maxRequestBytes) {
            message(response, HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, "The form is too large.", null);
            return;
        }
        if (path.equals("/login")) {
            login.submit(request, response);
            return;
        }
        if (path.equals("/account/login")) {
            mailUserLogin.submit(request, response);
            return;
        }
        Optional<Exchange> found = loggedIn(request, response);
        if (found.isEmpty()) {
            message(response, HttpServletResponse.SC_FORBIDDEN, "Not logged in, or the session has expired: log in again.", "/login");
            return;
        }
        Exchange exchange = found.get();
        if (!exchange.session.acceptsCsrfToken(request.getParameter("csrf"))) {
            message(response, HttpServletResponse.SC_FORBIDDEN,
                "This form is out of date or was not sent by this console (missing or wrong CSRF token): nothing was changed.", back(path));
            return;
        }
        if (path.equals("/logout")) {
            (exchange.byMailUser() ? mailUserLogin : login).logout(exchange, response);
            return;
        }
        try {
            Page page = pageOf(parts[1]);
            requireSessionFor(page, exchange);
            page.change(exchange, parts[2]);
        } catch (Exchange.FieldRefused | AccountRefused | Page.Forbidden e) {
            refused(exchange, e, path);
        }
    }

    /** A refusal shown to a logged-in admin: 403 for a reach out of its domains, else 400; with the menu, to go on. */
    private void refused(Exchange exchange, RuntimeException refusal, String path) throws IOException {
        int status = refusal instanceof Page.Forbidden ? HttpServletResponse.SC_FORBIDDEN : HttpServletResponse.SC_BAD_REQUEST;
        Map<String, Object> model = exchange.model(status == HttpServletResponse.SC_FORBIDDEN ? "Refused" : "Not done");
        model.put("error", refusal.getMessage());
        model.put("back", exchange.byMailUser() ? "/account" : back(path));
        exchange.render(status, "message", model);
    }

    private Page pageOf(String name) {
        return name.equals(accountPage.name()) ? accountPage : pages.get(name);
    }

    /** Admin pages for admins' sessions, the account page for mail users' only. */
    private void requireSessionFor(Page page, Exchange exchange) {
        if (page == accountPage && !exchange.byMailUser()) {
            throw new Page.Forbidden("this page is a mail user's own (log in at /account/login with a mail address)");
        }
        if (page != accountPage && exchange.byMailUser()) {
            throw new Page.Forbidden("this page is for console admins; your account is at /account");
        }
    }

    /** The request's session and its admin (or mail user) as stored now, if both are still there. */
    private Optional<Exchange> loggedIn(HttpServletRequest request, HttpServletResponse response) {
        Optional<Sessions.Session> session = sessions.find(cookie(request, SESSION_COOKIE));
        if (session.isEmpty()) {
            return Optional.empty();
        }
        if (session.get().kind() == Sessions.Kind.MAIL_USER) {
            if (!mailUsers.exists(session.get().admin())) {
                sessions.end(session.get());
                return Optional.empty();
            }
            return Optional.of(Exchange.ofMailUser(request, response, session.get(), views));
        }
        Optional<ConsoleAdmin> admin = admins.find(session.get().admin());
        if (admin.isEmpty()) {
            sessions.end(session.get());
            return Optional.empty();
        }
        return Optional.of(new Exchange(request, response, session.get(), admin.get(), views));
    }

    static String cookie(HttpServletRequest request, String name) {
        Cookie[] cookies = request.getCookies();
        if (cookies == null) {
            return null;
        }
        for (Cookie cookie : cookies) {
            if (cookie.getName().equals(name)) {
                return cookie.getValue();
            }
        }
        return null;
    }

    private static void securityHeaders(HttpServletResponse response) {
        response.setHeader("Content-Security-Policy", CSP);
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Referrer-Policy", "no-referrer");
        response.setHeader("Cache-Control", "no-store");
    }

    private void notFound(HttpServletResponse response) throws IOException {
        message(response, HttpServletResponse.SC_NOT_FOUND, "No such page.", "/");
    }

    private void message(HttpServletResponse response, int status, String text, String back) throws IOException {
        Map<String, Object> model = new HashMap<>();
        model.put("title", status == HttpServletResponse.SC_FORBIDDEN ? "Refused" : status == HttpServletResponse.SC_NOT_FOUND ? "Not found" : "Not done");
        model.put("error", text);
        if (back != null) {
            model.put("back", back);
        }
        views.render(response, status, "message", model);
    }

    private static void plain(HttpServletResponse response, int status, String text) throws IOException {
        response.setStatus(status);
        response.setContentType("text/plain; charset=utf-8");
        response.getWriter().println(text);
    }

    static void redirect(HttpServletResponse response, String location) {
        response.setStatus(HttpServletResponse.SC_SEE_OTHER);
        response.setHeader("Location", location);
    }

    /** The list page a refused change goes back to. */
    private String back(String path) {
        String[] parts = path.split("/", -1);
        return parts.length >= 2 && pageOf(parts[1]) != null ? "/" + parts[1] : "/";
    }
}
