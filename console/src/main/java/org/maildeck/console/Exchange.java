package org.maildeck.console;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.maildeck.mailets.MailLog;

/**
 * One request of a logged-in admin (or of a mail user on its own page: {@link #mailUser}), past the gate of {@link ConsoleServlet} (session found,
 * and for a POST its form type, size and CSRF token checked), with what every page needs: the
 * fields, the model shared by all pages, the answer, the audit line.
 */
final class Exchange {

    /** A field the console refuses before looking at its value (400). */
    static final class FieldRefused extends RuntimeException {
        FieldRefused(String message) {
            super(message, null, false, false);
        }
    }

    final HttpServletRequest request;
    final HttpServletResponse response;
    final Sessions.Session session;
    /** The admin, for an admin's session (null for a mail user's, which never reaches an admin page). */
    final ConsoleAdmin admin;
    /** The mail user, for a mail user's session (null for an admin's). */
    final String mailUser;
    private final Views views;

    Exchange(HttpServletRequest request, HttpServletResponse response, Sessions.Session session, ConsoleAdmin admin, Views views) {
        this(request, response, session, admin, null, views);
    }

    private Exchange(HttpServletRequest request, HttpServletResponse response, Sessions.Session session, ConsoleAdmin admin,
                     String mailUser, Views views) {
        this.request = request;
        this.response = response;
        this.session = session;
        this.admin = admin;
        this.mailUser = mailUser;
        this.views = views;
    }

    static Exchange ofMailUser(HttpServletRequest request, HttpServletResponse response, Sessions.Session session, Views views) {
        return new Exchange(request, response, session, null, session.admin(), views);
    }

    boolean byMailUser() {
        return mailUser != null;
    }

    /** The field {@code name} (empty when missing), refused when longer than {@code maxLength}. */
    String field(String name, int maxLength) {
        String value = request.getParameter(name);
        if (value == null) {
            return "";
        }
        if (value.length() > maxLength) {
            throw new FieldRefused(String.format("%s: longer than %d characters", name, maxLength));
        }
        return value.strip();
    }

    /** A password field: kept as typed (spaces are part of it). */
    String password(String name) {
        String value = Optional.ofNullable(request.getParameter(name)).orElse("");
        if (value.length() > Fields.PASSWORD) {
            throw new FieldRefused(String.format("%s: longer than %d characters", name, Fields.PASSWORD));
        }
        return value;
    }

    Map<String, Object> model(String title) {
        Map<String, Object> model = new HashMap<>();
        model.put("title", title);
        if (byMailUser()) {
            model.put("mailUser", mailUser);
            model.put("who", mailUser);
        } else {
            model.put("admin", admin.name());
            model.put("who", admin.name());
            if (!admin.superAdmin()) {
                model.put("scope", String.join(", ", admin.domains().stream().map(d -> d.asString()).toList()));
            }
            model.put("superAdmin", admin.superAdmin());
        }
        model.put("csrf", session.csrfToken());
        session.takeFlash().ifPresent(flash -> model.put("flash", flash));
        return model;
    }

    void render(int status, String page, Map<String, Object> model) throws IOException {
        views.render(response, status, page, model);
    }

    /** After a change: back to the list (303, so a reload does not post again), with a message. */
    void redirectAfterChange(String path, String message) throws IOException {
        session.flash(message);
        response.setStatus(HttpServletResponse.SC_SEE_OTHER);
        response.setHeader("Location", path);
    }

    /** The mail-log line of a change: who did it (an admin, or a mail user on its own account), from where, what. */
    void audit(String change) {
        MailLog.LOGGER.info("console: {}={}, client={}, {}", byMailUser() ? "user" : "admin", byMailUser() ? mailUser : admin.name(),
            client().getAddress().getHostAddress(), change);
    }

    InetSocketAddress client() {
        return new InetSocketAddress(request.getRemoteAddr(), request.getRemotePort());
    }

    /** The most an admin types in each kind of field: longer input is refused before any other check. */
    static final class Fields {
        static final int ADDRESS = 254;
        static final int DOMAIN = 253;
        static final int SEARCH = 254;
        static final int PASSWORD = 1024;
        static final int ADMIN_NAME = 64;
        static final int SIZE = 20;

        private Fields() {
        }
    }
}
