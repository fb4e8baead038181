package org.maildeck.mailauth.greylist;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import javax.persistence.EntityManager;
import javax.persistence.EntityManagerFactory;

import org.maildeck.durability.DatabaseTransaction;

/**
 * Greylisting's two tables in the server's Derby database (the JPA unit of
 * {@code META-INF/persistence.xml}, whose {@code SynchronizeMappings} creates them at start, as
 * for the quarantine index): {@link GreylistTriplet} and {@link GreylistClient}. One short
 * transaction per call; times are epoch seconds.
 */
final class GreylistStore {

    private static final int DELETE_BATCH = 500;

    private final EntityManagerFactory factory;

    GreylistStore(EntityManagerFactory factory) {
        this.factory = factory;
    }

    Optional<GreylistTriplet> triplet(String id) {
        return inTransaction(manager -> Optional.ofNullable(manager.find(GreylistTriplet.class, id)));
    }

    /** Records a first attempt (or a new round after the retry window passed) at {@code now}. */
    void firstAttempt(String id, long now) {
        inTransaction(manager -> {
            GreylistTriplet triplet = manager.find(GreylistTriplet.class, id);
            if (triplet == null) {
                manager.persist(new GreylistTriplet(id, now));
            } else {
                triplet.restart(now);
            }
            return null;
        });
    }

    /** Marks the triplet passed and counts the pass for its client network; the network's count. */
    int passed(String id, String network, long now) {
        return inTransaction(manager -> {
            GreylistTriplet triplet = manager.find(GreylistTriplet.class, id);
            if (triplet == null) {
                triplet = new GreylistTriplet(id, now);
                manager.persist(triplet);
            }
            triplet.pass(now);
            GreylistClient client = manager.find(GreylistClient.class, network);
            if (client == null) {
                client = new GreylistClient(network);
                manager.persist(client);
            }
            return client.passed(now);
        });
    }

    int clientPasses(String network) {
        return inTransaction(manager -> Optional.ofNullable(manager.find(GreylistClient.class, network)).map(GreylistClient::passes).orElse(0));
    }

    void touchTriplet(String id, long now) {
        inTransaction(manager -> manager.createNamedQuery("greylistTouchTriplet").setParameter("id", id).setParameter("now", now).executeUpdate());
    }

    void touchClient(String network, long now) {
        inTransaction(manager -> manager.createNamedQuery("greylistTouchClient").setParameter("network", network).setParameter("now", now).executeUpdate());
    }

    /**
     * Deletes triplets never retried within the window (first seen before {@code pendingBefore}),
     * passed triplets and clients not seen since {@code passedBefore}, then the oldest pending
     * triplets beyond {@code maxPending}; the number of rows deleted.
     */
    int purge(long pendingBefore, long passedBefore, int maxPending) {
        int deleted = inTransaction(manager -> manager.createNamedQuery("greylistExpiredPending").setParameter("before", pendingBefore).executeUpdate()
            + manager.createNamedQuery("greylistExpiredPassed").setParameter("before", passedBefore).executeUpdate()
            + manager.createNamedQuery("greylistExpiredClients").setParameter("before", passedBefore).executeUpdate());
        long pending = inTransaction(manager -> manager.createNamedQuery("greylistPendingCount", Long.class).getSingleResult());
        long excess = pending - maxPending;
        while (excess > 0) {
            int batch = (int) Math.min(DELETE_BATCH, excess);
            List<String> oldest = inTransaction(manager -> manager.createNamedQuery("greylistOldestPending", String.class).setMaxResults(batch).getResultList());
            if (oldest.isEmpty()) {
                break;
            }
            deleted += inTransaction(manager -> manager.createNamedQuery("greylistDeleteTriplets").setParameter("ids", oldest).executeUpdate());
            excess -= oldest.size();
        }
        return deleted;
    }

    private <T> T inTransaction(Function<EntityManager, T> work) {
        return DatabaseTransaction.run(factory, work);
    }
}
