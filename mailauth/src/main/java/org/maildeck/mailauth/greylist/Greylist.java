package org.maildeck.mailauth.greylist;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.net.InetAddress;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import javax.persistence.EntityManagerFactory;

/**
 * Greylisting as postgrey does it. A triplet (client network {@link ClientNetwork}, envelope
 * sender, recipient; addresses lower-cased, the null sender as itself) seen for the first time
 * is refused for now; retried after {@code delay} and within {@code retryWindow} of the first
 * attempt, it passes, and from then on its mail passes at once for as long as it keeps coming
 * (a triplet silent for {@code maxAge} is forgotten). A client network whose retries passed
 * {@code autoAllowClients} times is no longer greylisted at all (postgrey's
 * auto-whitelist-clients): it is a real MTA.
 *
 * <p><b>Writes.</b> Derby is written on the greylisting path (a first attempt: one row; a
 * passing retry: the triplet and its client's count, in one transaction), not for each accepted
 * mail: passed triplets and allowed clients are remembered in memory (bounded, least recently
 * used forgotten first), and their "last seen" in the database, which expiry reads, is only moved
 * forward when it is more than {@code touchInterval} old (a day by default: expiry is counted in
 * weeks). An accepted mail of a known triplet therefore costs a memory look-up, and one read of
 * Derby when it is not in memory (after a restart, or pushed out).</p>
 *
 * <p><b>Growth.</b> {@link #purge} deletes pending triplets older than the retry window and
 * passed ones and clients unseen for {@code maxAge}, then the oldest pending triplets beyond
 * {@code maxPending}: a flood of distinct triplets (spam runs, dictionary attacks; the hook sits
 * after the recipient checks, so only existing recipients make triplets) cannot grow the table
 * past that bound by more than what arrives between two purges, and {@link #purgeDue} asks for
 * an early purge when that much has arrived.</p>
 */
public final class Greylist {

    /** What an attempt earns. */
    public enum Outcome {
        /** First attempt of the triplet (or first after its retry window passed): refused for now. */
        NEW(false),
        /** Retried before the delay was over: refused for now. */
        EARLY(false),
        /** Retried after the delay: accepted, the triplet is known from now on. */
        RETRIED(true),
        /** A known triplet: accepted. */
        KNOWN(true),
        /** A client network allowed after enough passing retries: accepted. */
        CLIENT_ALLOWED(true);

        private final boolean accepted;

        Outcome(boolean accepted) {
            this.accepted = accepted;
        }

        public boolean accepted() {
            return accepted;
        }
    }

    /** The settings, in seconds where a duration. */
    public record Settings(Duration delay, Duration retryWindow, Duration maxAge, int autoAllowClients,
                           Duration touchInterval, int maxPending, int memory) {
    }

    private static final int LOCK_STRIPES = 64;

    private final GreylistStore store;
    private final Settings settings;
    private final Clock clock;
    /** Passed triplets and allowed clients, with the last-seen second last written to Derby. */
    private final Map<String, Long> passedTriplets;
    private final Map<String, Long> allowedClients;
    private final Object[] locks = new Object[LOCK_STRIPES];
    private final AtomicInteger firstAttemptsSincePurge = new AtomicInteger();
    private final AtomicBoolean purging = new AtomicBoolean();

    public Greylist(EntityManagerFactory factory, Settings settings, Clock clock) {
        this.store = new GreylistStore(factory);
        this.settings = settings;
        this.clock = clock;
        this.passedTriplets = lru(settings.memory());
        this.allowedClients = lru(settings.memory());
        for (int i = 0; i < LOCK_STRIPES; i++) {
            locks[i] = new Object();
        }
    }

    private static Map<String, Long> lru(int capacity) {
        return Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
                return size() > capacity;
            }
        });
    }

    public Outcome check(InetAddress client, String sender, String recipient) {
        String network = ClientNetwork.of(client);
        long now = clock.instant().getEpochSecond();
        if (isAllowedClient(network, now)) {
            return Outcome.CLIENT_ALLOWED;
        }
        String id = id(network, sender, recipient);
        Long written = passedTriplets.get(id);
        if (written != null) {
            touch(id, written, now);
            return Outcome.KNOWN;
        }
        synchronized (locks[Math.floorMod(id.hashCode(), LOCK_STRIPES)]) {
            return attempt(id, network, now);
        }
    }

    private Outcome attempt(String id, String network, long now) {
        GreylistTriplet triplet = store.triplet(id).orElse(null);
        if (triplet != null && triplet.passed() && triplet.lastSeen() >= now - settings.maxAge().toSeconds()) {
            passedTriplets.put(id, triplet.lastSeen());
            touch(id, triplet.lastSeen(), now);
            return Outcome.KNOWN;
        }
        if (triplet == null || triplet.passed() || now > triplet.firstSeen() + settings.retryWindow().toSeconds()) {
            store.firstAttempt(id, now);
            firstAttemptsSincePurge.incrementAndGet();
            return Outcome.NEW;
        }
        if (now < triplet.firstSeen() + settings.delay().toSeconds()) {
            return Outcome.EARLY;
        }
        int passes = store.passed(id, network, now);
        passedTriplets.put(id, now);
        if (passes >= settings.autoAllowClients()) {
            allowedClients.put(network, now);
        }
        return Outcome.RETRIED;
    }

    private boolean isAllowedClient(String network, long now) {
        if (settings.autoAllowClients() <= 0) {
            return false;
        }
        Long written = allowedClients.get(network);
        if (written == null) {
            if (store.clientPasses(network) < settings.autoAllowClients()) {
                return false;
            }
            written = 0L;
            allowedClients.put(network, written);
        }
        if (now - written >= settings.touchInterval().toSeconds()) {
            store.touchClient(network, now);
            allowedClients.put(network, now);
        }
        return true;
    }

    private void touch(String id, long written, long now) {
        if (now - written >= settings.touchInterval().toSeconds()) {
            store.touchTriplet(id, now);
            passedTriplets.put(id, now);
        }
    }

    /** True when enough first attempts came since the last purge that the table may pass its bound. */
    public boolean purgeDue() {
        return firstAttemptsSincePurge.get() > Math.max(100, settings.maxPending() / 10);
    }

    /** Deletes what expired and trims the pending triplets to their bound; the rows deleted (0 if a purge is already running). */
    public int purge() {
        if (!purging.compareAndSet(false, true)) {
            return 0;
        }
        try {
            firstAttemptsSincePurge.set(0);
            long now = clock.instant().getEpochSecond();
            int deleted = store.purge(now - settings.retryWindow().toSeconds(), now - settings.maxAge().toSeconds(), settings.maxPending());
            if (deleted > 0) {
                // a deleted row must not stay known in memory
                passedTriplets.clear();
                allowedClients.clear();
            }
            return deleted;
        } finally {
            purging.set(false);
        }
    }

    static String id(String network, String sender, String recipient) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String part : new String[] {network, sender.toLowerCase(Locale.ROOT), recipient.toLowerCase(Locale.ROOT)}) {
                sha.update(part.getBytes(UTF_8));
                sha.update((byte) 0);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
