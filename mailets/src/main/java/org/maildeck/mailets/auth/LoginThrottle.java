package org.maildeck.mailets.auth;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import javax.inject.Inject;

import org.maildeck.mailets.MailLog;
import org.maildeck.mailets.smtpd.ClientName;

/**
 * Failed logins per client address, one record for every protocol and listener, so a client
 * can neither dodge the lockout by switching ports nor by switching from SMTP AUTH to IMAP or
 * POP3: failures over any protocol count toward the same lockout, and a locked-out address has
 * no login accepted, right password or not, over any protocol, until the lockout ends.
 * <p>
 * Each failure, lockout, refusal and success is a mail-log line in one format naming the
 * protocol ({@code proto=IMAP}), and is counted per protocol for JMX. Memory stays bounded: an
 * address is forgotten once its failures are older than the lockout window and its lockout is
 * over. A success does not wipe earlier failures: one known password must not reset the count
 * of guesses at another.
 */
public class LoginThrottle {

    private record Client(Deque<Instant> failures, Instant lockedUntil) {
    }

    /** A failure as the throttle judged it: the protocol answers it after {@code delay}, or ends the session when locked out. */
    public record Failure(int recentFailures, boolean lockedOut, Duration delay) {
    }

    private record Counters(AtomicLong successes, AtomicLong failures, AtomicLong refusals) {
        Counters() {
            this(new AtomicLong(), new AtomicLong(), new AtomicLong());
        }
    }

    private final LoginThrottleSettings settings;
    private final Clock clock;
    private final Map<InetAddress, Client> clients = new ConcurrentHashMap<>();
    private final Map<LoginProtocol, Counters> counters = new EnumMap<>(LoginProtocol.class);
    private final AtomicLong lockouts = new AtomicLong();

    @Inject
    public LoginThrottle(LoginThrottleSettings settings) {
        this(settings, Clock.systemUTC());
    }

    LoginThrottle(LoginThrottleSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        for (LoginProtocol protocol : LoginProtocol.values()) {
            counters.put(protocol, new Counters());
        }
    }

    public LoginThrottleSettings settings() {
        return settings;
    }

    /** The end of the lockout of {@code client}, if it is locked out now. */
    public Optional<Instant> lockedUntil(InetAddress client) {
        Instant now = clock.instant();
        return Optional.ofNullable(clients.get(client))
            .map(Client::lockedUntil)
            .filter(until -> until.isAfter(now));
    }

    /**
     * Asked before a password is checked: when {@code client} is locked out, the refusal is
     * counted and logged and the end of the lockout returned; empty when it may try.
     * {@code username} is the login given, when the protocol knows it already.
     */
    public Optional<Instant> refuses(LoginProtocol protocol, InetSocketAddress client, Optional<String> username) {
        Optional<Instant> until = lockedUntil(client.getAddress());
        until.ifPresent(end -> {
            counters.get(protocol).refusals().incrementAndGet();
            MailLog.LOGGER.warn("warning: {}: login refused: locked out until {} after too many failed authentication attempts{}, proto={}",
                ClientName.of(client), end.truncatedTo(ChronoUnit.SECONDS), saslUsername(username), protocol);
        });
        return until;
    }

    public void succeeded(LoginProtocol protocol, InetSocketAddress client, String username) {
        counters.get(protocol).successes().incrementAndGet();
        MailLog.LOGGER.info("{}: SASL authentication succeeded, sasl_username={}, proto={}", ClientName.of(client), username, protocol);
    }

    /**
     * Records a wrong password (or unknown user) and logs it; the {@code maxFailures}-th failure
     * within {@code lockout} locks the address out, clears its failures and is logged too.
     */
    public Failure failed(LoginProtocol protocol, InetSocketAddress client, Optional<String> username) {
        counters.get(protocol).failures().incrementAndGet();
        Instant now = clock.instant();
        Duration window = settings.lockout();
        forgetExpired(now, window);
        AtomicReference<Failure> verdict = new AtomicReference<>();
        clients.compute(client.getAddress(), (address, previous) -> {
            Deque<Instant> failures = previous == null ? new ArrayDeque<>() : new ArrayDeque<>(previous.failures());
            failures.addLast(now);
            while (!failures.isEmpty() && failures.peekFirst().isBefore(now.minus(window))) {
                failures.removeFirst();
            }
            int recent = failures.size();
            if (recent >= settings.maxFailures()) {
                verdict.set(new Failure(recent, true, Duration.ZERO));
                return new Client(new ArrayDeque<>(), now.plus(settings.lockout()));
            }
            verdict.set(new Failure(recent, false, settings.delayAfter(recent)));
            return new Client(failures, previous == null ? Instant.MIN : previous.lockedUntil());
        });
        Failure failure = verdict.get();
        String name = ClientName.of(client);
        MailLog.LOGGER.warn("warning: {}: SASL authentication failed: authentication failure{}, failures={}, proto={}",
            name, saslUsername(username), failure.recentFailures(), protocol);
        if (failure.lockedOut()) {
            lockouts.incrementAndGet();
            MailLog.LOGGER.warn("warning: {}: {} failed authentication attempts; all logins locked out for {}, proto={}",
                name, failure.recentFailures(), settings.lockout(), protocol);
        }
        return failure;
    }

    /**
     * Dovecot's auth_penalty: how long a new login attempt of {@code client} waits first, after
     * its recent failures (none: zero).
     */
    public Duration penalty(InetAddress client) {
        Instant since = clock.instant().minus(settings.lockout());
        int recent = Optional.ofNullable(clients.get(client))
            .map(record -> (int) record.failures().stream().filter(failure -> !failure.isBefore(since)).count())
            .orElse(0);
        return settings.delayAfter(recent);
    }

    /** Postfix's {@code , sasl_username=...} field, left out when the login is not known (an unparsable AUTHENTICATE). */
    private static String saslUsername(Optional<String> username) {
        return username.map(name -> ", sasl_username=" + name).orElse("");
    }

    public long successes(LoginProtocol protocol) {
        return counters.get(protocol).successes().get();
    }

    public long failures(LoginProtocol protocol) {
        return counters.get(protocol).failures().get();
    }

    /** Login attempts refused, without a password check, because the address was locked out. */
    public long refusals(LoginProtocol protocol) {
        return counters.get(protocol).refusals().get();
    }

    /** Failures over every protocol. */
    public long failures() {
        return counters.values().stream().mapToLong(counts -> counts.failures().get()).sum();
    }

    public long lockouts() {
        return lockouts.get();
    }

    /** Clients locked out right now. */
    public long lockedOutClients() {
        Instant now = clock.instant();
        return clients.values().stream().filter(client -> client.lockedUntil().isAfter(now)).count();
    }

    private void forgetExpired(Instant now, Duration window) {
        clients.entrySet().removeIf(entry -> entry.getValue().lockedUntil().isBefore(now)
            && entry.getValue().failures().stream().allMatch(failure -> failure.isBefore(now.minus(window))));
    }
}
