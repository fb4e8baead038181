package org.maildeck.durability;

import java.util.function.Function;

import javax.persistence.EntityManager;
import javax.persistence.EntityManagerFactory;
import javax.persistence.EntityTransaction;

/**
 * The one way Maildeck changes its rows in the server's Derby database (the quarantine index,
 * greylisting's triplets): the work in one resource-local transaction, committed when it returns
 * and rolled back when it throws anything, the entity manager closed either way.
 * <p>
 * Not James's {@code TransactionRunner}: it rolls back only on a {@code PersistenceException}.
 * Any other exception (OpenJPA reports a bad query argument as an {@code IllegalArgumentException})
 * leaves the transaction active, OpenJPA then refuses to close the manager ("active local
 * transaction"), and its connection and row locks stay taken.
 */
public final class DatabaseTransaction {

    private DatabaseTransaction() {
    }

    public static <T> T run(EntityManagerFactory factory, Function<EntityManager, T> work) {
        EntityManager manager = factory.createEntityManager();
        EntityTransaction transaction = manager.getTransaction();
        try {
            transaction.begin();
            T result = work.apply(manager);
            transaction.commit();
            return result;
        } finally {
            if (transaction.isActive()) {
                transaction.rollback();
            }
            manager.close();
        }
    }
}
