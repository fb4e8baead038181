package org.maildeck.assembly.data;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.apache.james.core.Domain;
import org.apache.james.core.Username;

/**
 * Password verifications remembered for a while, as Dovecot's {@code auth_cache}: the stored
 * hash is PBKDF2 with 210,000 iterations, a fifth of a second of CPU per check, which a mail
 * client that opens a connection per folder or polls POP3 every minute would pay each time.
 *
 * <p>What is kept is not the password: a login is remembered under the user and an HMAC of the
 * password with a key drawn at start and never stored, so the memory of the process holds
 * nothing an attacker could test passwords against offline, and nothing survives a restart.
 * A successful verification is remembered for {@code ttl}, a failed one (the same wrong
 * password tried again by a misconfigured client) for {@code negativeTtl} in a smaller memory.
 * Any change to a user (password, removal, creation) forgets that user's logins, a domain's
 * removal its users'; a verification that overlapped such a change is not remembered
 * ({@link RememberedAnswers}' generation). A zero ttl turns that half off.
 *
 * <p>Logins of the same user with the same password that arrive while one of them is being
 * verified wait for that verification instead of starting their own: a client that opens its
 * connections at once (imap-stress's ten sessions; mail clients open one per folder) paid the
 * fifth of a second once per connection. A waiter takes the answer only where it would have
 * been remembered (no change to the users since that verification began); else it verifies on
 * its own, as does every waiter of a verification that failed.
 */
final class RememberedLogins {

    /** How the database answers when nothing is remembered. */
    interface Verification<E extends Exception> {
        boolean verify() throws E;
    }

    private record Login(Username user, String passwordMac) {
    }

    private record Verdict(boolean verified, Instant until) {
    }

    /** A verification under way: its answer (null when it failed) and the generations it began at. */
    private record InFlight(CompletableFuture<Boolean> answer, long verifiedAt, long refusedAt) {
    }

    private final ConcurrentHashMap<Login, InFlight> inFlight = new ConcurrentHashMap<>();

    private final RememberedAnswers<Login, Verdict> verified = new RememberedAnswers<>(10_000);
    private final RememberedAnswers<Login, Verdict> refused = new RememberedAnswers<>(1_000);
    private final Duration ttl;
    private final Duration negativeTtl;
    private final Clock clock;
    private final Mac mac;

    RememberedLogins(Duration ttl, Duration negativeTtl, Clock clock) {
        this.ttl = ttl;
        this.negativeTtl = negativeTtl;
        this.clock = clock;
        try {
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            this.mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no HmacSHA256 in this JVM", e);
        }
    }

    /** Whether {@code password} is {@code user}'s: remembered, or else {@code verification}'s answer, remembered. */
    <E extends Exception> boolean test(Username user, String password, Verification<E> verification) throws E {
        Login login = new Login(user, passwordMac(password));
        Instant now = clock.instant();
        Optional<Verdict> known = verified.get(login).or(() -> refused.get(login))
            .filter(verdict -> verdict.until().isAfter(now));
        if (known.isPresent()) {
            return known.get().verified();
        }
        InFlight mine = new InFlight(new CompletableFuture<>(), verified.generation(), refused.generation());
        InFlight earlier = inFlight.putIfAbsent(login, mine);
        if (earlier != null) {
            Boolean shared = earlier.answer().join();
            if (shared != null && verified.generation() == earlier.verifiedAt() && refused.generation() == earlier.refusedAt()) {
                return shared;
            }
            return verify(login, now, verification, verified.generation(), refused.generation());
        }
        try {
            boolean answer = verify(login, now, verification, mine.verifiedAt(), mine.refusedAt());
            mine.answer().complete(answer);
            return answer;
        } finally {
            inFlight.remove(login, mine);
            mine.answer().complete(null);
        }
    }

    private <E extends Exception> boolean verify(Login login, Instant now, Verification<E> verification,
            long verifiedAt, long refusedAt) throws E {
        boolean answer = verification.verify();
        if (answer && !ttl.isZero()) {
            verified.remember(login, new Verdict(true, now.plus(ttl)), verifiedAt);
        } else if (!answer && !negativeTtl.isZero()) {
            refused.remember(login, new Verdict(false, now.plus(negativeTtl)), refusedAt);
        }
        return answer;
    }

    /** Forgets every login of {@code user}: its password or existence changed. */
    void forget(Username user) {
        verified.forget(login -> login.user().equals(user));
        refused.forget(login -> login.user().equals(user));
    }

    /** Forgets every login of the users of {@code domain}: the domain is gone. */
    void forget(Domain domain) {
        verified.forget(login -> login.user().getDomainPart().map(domain::equals).orElse(false));
        refused.forget(login -> login.user().getDomainPart().map(domain::equals).orElse(false));
    }

    private String passwordMac(String password) {
        byte[] digest;
        synchronized (mac) {
            digest = mac.doFinal(password.getBytes(UTF_8));
        }
        return Base64.getEncoder().encodeToString(digest);
    }
}
