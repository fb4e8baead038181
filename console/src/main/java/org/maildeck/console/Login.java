package org.maildeck.console;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.maildeck.mailets.MailLog;
import org.maildeck.mailets.auth.LoginProtocol;
import org.maildeck.mailets.auth.LoginThrottle;

/**
 * Logging in and out, through one of the console's two doors ({@link Door}): the admins' at
 * {@code /login}, the mail users' (their mail password, for their self-service page) at
 * {@code /account/login}. Both work the same way. The login form has its own CSRF protection, as there is no session yet:
 * a random token both in a cookie (HttpOnly, SameSite=Strict, for {@code /login} only) and in
 * the form, which must match (a page of another site can set neither). Failed logins count in
 * the server's one {@link LoginThrottle}, with SMTP's, IMAP's and POP3's ({@code proto=CONSOLE}):
 * a client locked out there is locked out here too, and the other way round. A successful login
 * gets a new session, whatever cookie it came with.
 */
final class Login {

    private static final String LOGIN_COOKIE = "maildeck_login";
    /** A failure's wait occupies a server thread: never longer than this, whatever the throttle says. */
    private static final Duration MAX_WAIT = Duration.ofSeconds(2);

    /** Checks a name and password: the name as logged in with, when right. */
    @FunctionalInterface
    interface Verifier {
        Optional<String> verify(String name, String password);
    }

    /**
     * One way in: where its form is ({@code path}, also the login cookie's path), its template,
     * the page a login lands on, the kind of session it opens, the longest name it takes, what it
     * says to a wrong name or password, and who checks them.
     */
    record Door(String path, String template, String landing, Sessions.Kind kind, int maxNameLength, String wrong, Verifier verifier) {

        static Door admins(ConsoleAdmins admins) {
            return new Door("/login", "login", "/domains", Sessions.Kind.ADMIN, Exchange.Fields.ADMIN_NAME,
                "Wrong admin name or password.", (name, password) -> admins.verify(name, password).map(ConsoleAdmin::name));
        }

        static Door mailUsers(MailUsers users) {
            return new Door("/account/login", "account-login", "/account", Sessions.Kind.MAIL_USER, Exchange.Fields.ADDRESS,
                "Wrong mail address or password.", users::verify);
        }
    }

    private final Door door;
    private final Sessions sessions;
    private final LoginThrottle throttle;
    private final Views views;

    Login(Door door, Sessions sessions, LoginThrottle throttle, Views views) {
        this.door = door;
        this.sessions = sessions;
        this.throttle = throttle;
        this.views = views;
    }

    void show(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (sessions.find(ConsoleServlet.cookie(request, ConsoleServlet.SESSION_COOKIE)).filter(s -> s.kind() == door.kind()).isPresent()) {
            ConsoleServlet.redirect(response, door.landing());
            return;
        }
        form(request, response, HttpServletResponse.SC_OK, "", null);
    }

    void submit(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String expected = ConsoleServlet.cookie(request, LOGIN_COOKIE);
        String given = request.getParameter("csrf");
        if (expected == null || given == null || !expected.equals(given)) {
            form(request, response, HttpServletResponse.SC_FORBIDDEN, "", "The login form is out of date: log in again.");
            return;
        }
        String name = Optional.ofNullable(request.getParameter("name")).orElse("").strip();
        String password = Optional.ofNullable(request.getParameter("password")).orElse("");
        if (name.length() > door.maxNameLength() || password.length() > Exchange.Fields.PASSWORD) {
            form(request, response, HttpServletResponse.SC_BAD_REQUEST, "", "Name or password too long.");
            return;
        }
        InetSocketAddress client = new InetSocketAddress(request.getRemoteAddr(), request.getRemotePort());
        Optional<String> login = Optional.of(name).filter(n -> !n.isEmpty());
        Optional<Instant> lockedUntil = throttle.refuses(LoginProtocol.CONSOLE, client, login);
        if (lockedUntil.isPresent()) {
            form(request, response, 429, name, "Too many failed logins from your address; try again after "
                + lockedUntil.get().truncatedTo(ChronoUnit.SECONDS) + ".");
            return;
        }
        Optional<String> who = door.verifier().verify(name, password);
        if (who.isEmpty()) {
            LoginThrottle.Failure failure = throttle.failed(LoginProtocol.CONSOLE, client, login);
            pause(failure.delay());
            form(request, response, HttpServletResponse.SC_UNAUTHORIZED, name, failure.lockedOut()
                ? "Too many failed logins from your address; try again later."
                : door.wrong());
            return;
        }
        throttle.succeeded(LoginProtocol.CONSOLE, client, who.get());
        Optional<Sessions.Session> session = sessions.start(who.get(), door.kind());
        if (session.isEmpty()) {
            MailLog.LOGGER.warn("warning: console: too many sessions; login of {} refused", who.get());
            form(request, response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, name, "Too many open sessions; try again later.");
            return;
        }
        response.addHeader("Set-Cookie", LOGIN_COOKIE + "=; Path=" + door.path() + "; Max-Age=0; HttpOnly; SameSite=Strict" + secure(request));
        response.addHeader("Set-Cookie", ConsoleServlet.SESSION_COOKIE + "=" + session.get().id()
            + "; Path=/; HttpOnly; SameSite=Strict" + secure(request));
        ConsoleServlet.redirect(response, door.landing());
    }

    void logout(Exchange exchange, HttpServletResponse response) {
        sessions.end(exchange.session);
        response.addHeader("Set-Cookie", ConsoleServlet.SESSION_COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict" + secure(exchange.request));
        ConsoleServlet.redirect(response, door.path());
    }

    private void form(HttpServletRequest request, HttpServletResponse response, int status, String name, String error) throws IOException {
        String token = sessions.newToken();
        response.addHeader("Set-Cookie", LOGIN_COOKIE + "=" + token + "; Path=" + door.path() + "; HttpOnly; SameSite=Strict" + secure(request));
        Map<String, Object> model = new HashMap<>();
        model.put("title", "Log in");
        model.put("loginToken", token);
        model.put("name", name);
        if (error != null) {
            model.put("error", error);
        }
        views.render(response, status, door.template(), model);
    }

    /** Secure when the browser came over TLS (directly, or to the reverse proxy when behind.proxy is on). */
    private static String secure(HttpServletRequest request) {
        return request.isSecure() ? "; Secure" : "";
    }

    private static void pause(Duration delay) {
        try {
            Thread.sleep(Math.min(delay.toMillis(), MAX_WAIT.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
