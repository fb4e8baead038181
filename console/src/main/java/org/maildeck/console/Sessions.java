package org.maildeck.console;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import static java.nio.charset.StandardCharsets.US_ASCII;

/**
 * The console's login sessions, in memory (a restart logs every admin out, which is fine for a
 * console), of admins and of mail users on their self-service page, each session knowing which
 * of the two it is (an admin may be named like a mail address: the name alone does not tell):
 * a random id per login (a new one at each login, so an id planted before the login
 * is worth nothing after it), ended by the idle timeout, the absolute timeout or logout.
 * <p>
 * Each session has its CSRF token (the synchronizer-token pattern): every form carries it,
 * every POST is checked against it. A token is only worth something together with its own
 * session's cookie, so one copied from another session is refused.
 */
public class Sessions {

    /** Who logged in: a console admin, or a mail user with its mail password. */
    public enum Kind {
        ADMIN,
        MAIL_USER
    }

    /** A logged-in admin's or mail user's session; {@code lastSeen} is moved by {@link #find}. */
    public static final class Session {
        private final String id;
        private final String admin;
        private final Kind kind;
        private final String csrfToken;
        private final Instant created;
        private volatile Instant lastSeen;
        private volatile String flash;

        private Session(String id, String admin, Kind kind, String csrfToken, Instant created) {
            this.id = id;
            this.admin = admin;
            this.kind = kind;
            this.csrfToken = csrfToken;
            this.created = created;
            this.lastSeen = created;
        }

        public String id() {
            return id;
        }

        /** The admin's name, or the mail user's address (see {@link #kind}). */
        public String admin() {
            return admin;
        }

        public Kind kind() {
            return kind;
        }

        public String csrfToken() {
            return csrfToken;
        }

        public boolean acceptsCsrfToken(String token) {
            return token != null && MessageDigest.isEqual(csrfToken.getBytes(US_ASCII), token.getBytes(US_ASCII));
        }

        /** A message for the next page shown (after the redirect that follows a change). */
        public void flash(String message) {
            this.flash = message;
        }

        public Optional<String> takeFlash() {
            String message = flash;
            flash = null;
            return Optional.ofNullable(message);
        }
    }

    private final SecureRandom random = new SecureRandom();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Duration idleTimeout;
    private final Duration maxAge;
    private final int maxSessions;
    private final Clock clock;

    public Sessions(Duration idleTimeout, Duration maxAge, int maxSessions, Clock clock) {
        this.idleTimeout = idleTimeout;
        this.maxAge = maxAge;
        this.maxSessions = maxSessions;
        this.clock = clock;
    }

    /** A new session for {@code admin}, or empty when there are already {@code maxSessions}. */
    public Optional<Session> start(String admin) {
        return start(admin, Kind.ADMIN);
    }

    /** A new session of {@code name} (an admin or a mail user), or empty when there are already {@code maxSessions}. */
    public Optional<Session> start(String name, Kind kind) {
        Instant now = clock.instant();
        sessions.values().removeIf(session -> expired(session, now));
        if (sessions.size() >= maxSessions) {
            return Optional.empty();
        }
        Session session = new Session(newToken(), name, kind, newToken(), now);
        sessions.put(session.id(), session);
        return Optional.of(session);
    }

    /** The live session of this id, its idle time restarted; an expired one is ended. */
    public Optional<Session> find(String id) {
        if (id == null) {
            return Optional.empty();
        }
        Session session = sessions.get(id);
        if (session == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (expired(session, now)) {
            sessions.remove(id);
            return Optional.empty();
        }
        session.lastSeen = now;
        return Optional.of(session);
    }

    public void end(Session session) {
        sessions.remove(session.id());
    }

    /** Ends every session of {@code admin} (removed, or its password changed). */
    public void endAllOf(String admin) {
        sessions.values().removeIf(session -> session.kind == Kind.ADMIN && session.admin().equals(admin));
    }

    /** Ends every other session of the same admin or mail user as {@code kept} (its password changed in {@code kept}). */
    public void endOthersOf(Session kept) {
        sessions.values().removeIf(session -> session.kind == kept.kind && session.admin().equals(kept.admin()) && !session.id().equals(kept.id()));
    }

    private boolean expired(Session session, Instant now) {
        return !now.isBefore(session.lastSeen.plus(idleTimeout)) || !now.isBefore(session.created.plus(maxAge));
    }

    /** 256 random bits, URL-safe: a session id or a CSRF token. */
    public String newToken() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
