package org.maildeck.mailets.smtp;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import javax.inject.Inject;
import javax.inject.Singleton;

/**
 * Failed SMTP AUTH attempts per client address, shared by all listeners so a client cannot
 * dodge the lockout by switching ports. Also the counters the admin sees (successes, failures,
 * lockouts). Memory stays bounded: an address is forgotten once its failures are older than
 * the window and its lockout is over.
 */
@Singleton
public class AuthFailures {

    private record Client(Deque<Instant> failures, Instant lockedUntil) {
    }

    private final Clock clock;
    private final Map<InetAddress, Client> clients = new ConcurrentHashMap<>();
    private final AtomicLong successes = new AtomicLong();
    private final AtomicLong failureCount = new AtomicLong();
    private final AtomicLong lockouts = new AtomicLong();

    @Inject
    public AuthFailures() {
        this(Clock.systemUTC());
    }

    AuthFailures(Clock clock) {
        this.clock = clock;
    }

    /** The end of the lockout of {@code client}, if it is locked out now. */
    public Optional<Instant> lockedUntil(InetAddress client) {
        Instant now = clock.instant();
        return Optional.ofNullable(clients.get(client))
            .map(Client::lockedUntil)
            .filter(until -> until.isAfter(now));
    }

    /**
     * Records a failure and returns how many failures {@code client} had within {@code window},
     * this one included.
     */
    public int recordFailure(InetAddress client, Duration window) {
        failureCount.incrementAndGet();
        Instant now = clock.instant();
        forgetExpired(now, window);
        Client updated = clients.compute(client, (address, previous) -> {
            Deque<Instant> failures = previous == null ? new ArrayDeque<>() : new ArrayDeque<>(previous.failures());
            failures.addLast(now);
            while (!failures.isEmpty() && failures.peekFirst().isBefore(now.minus(window))) {
                failures.removeFirst();
            }
            return new Client(failures, previous == null ? Instant.MIN : previous.lockedUntil());
        });
        return updated.failures().size();
    }

    /** Locks {@code client} out for {@code duration} and clears its failures. */
    public void lockOut(InetAddress client, Duration duration) {
        lockouts.incrementAndGet();
        clients.put(client, new Client(new ArrayDeque<>(), clock.instant().plus(duration)));
    }

    public void recordSuccess() {
        successes.incrementAndGet();
    }

    public long successes() {
        return successes.get();
    }

    public long failures() {
        return failureCount.get();
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
