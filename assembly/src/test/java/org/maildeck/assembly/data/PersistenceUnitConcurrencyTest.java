package org.maildeck.assembly.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.MonitorInfo;
import java.lang.management.ThreadInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.persistence.EntityManager;
import javax.persistence.EntityManagerFactory;
import javax.persistence.Persistence;
import javax.persistence.criteria.CriteriaQuery;

import org.apache.james.mailbox.jpa.quota.model.MaxDomainMessageCount;
import org.apache.james.mailbox.jpa.quota.model.MaxUserStorage;
import org.apache.james.mailrepository.jpa.model.JPAMail;
import org.apache.james.rrt.jpa.model.JPARecipientRewrite;
import org.apache.james.sieve.jpa.model.JPASieveScript;

import org.apache.openjpa.persistence.OpenJPAPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The persistence unit as the server uses it, with the 20 spooler threads of the shipped
 * mailetcontainer.xml starting at once on a fresh server (mail waiting in the spool after a
 * crash), each in a transaction that holds a connection when it first uses the database's
 * metadata, and DBCP's default pool of 8 connections: none may wait for another for good.
 * Resolved lazily, the first thread to resolve metadata held OpenJPA's MappingRepository lock
 * while it waited for a connection to read the schema, and the others held every connection
 * while they waited for that lock.
 */
class PersistenceUnitConcurrencyTest {

    private static final int SPOOLER_THREADS = 20;
    private static final List<Class<?>> FIRST_USED_BY_THE_SPOOLER = List.of(
        JPASieveScript.class, JPARecipientRewrite.class, JPAMail.class, MaxUserStorage.class, MaxDomainMessageCount.class);

    private EntityManagerFactory factory;

    @AfterEach
    void close() {
        if (factory != null) {
            factory.close();
        }
    }

    @Test
    void threadsHoldingConnectionsWhenTheyFirstUseAnEntityNeverDeadlock() throws Exception {
        factory = Persistence.createEntityManagerFactory(EntityManagerFactoryModule.PERSISTENCE_UNIT, Map.of(
            "openjpa.ConnectionDriverName", "org.apache.derby.iapi.jdbc.AutoloadedDriver",
            "openjpa.ConnectionURL", "jdbc:derby:memory:" + UUID.randomUUID() + ";create=true",
            "openjpa.ConnectionProperties", "MaxTotal=8, MaxIdle=8",
            "openjpa.Multithreaded", "true"));
        ExecutorService spooler = Executors.newFixedThreadPool(SPOOLER_THREADS);
        CyclicBarrier together = new CyclicBarrier(SPOOLER_THREADS);
        try {
            List<Future<?>> threads = new ArrayList<>();
            for (int i = 0; i < SPOOLER_THREADS; i++) {
                Class<?> entity = FIRST_USED_BY_THE_SPOOLER.get(i % FIRST_USED_BY_THE_SPOOLER.size());
                threads.add(spooler.submit(() -> {
                    together.await();
                    EntityManager entityManager = factory.createEntityManager();
                    try {
                        entityManager.getTransaction().begin();
                        OpenJPAPersistence.cast(entityManager).getConnection();
                        selectAll(entityManager, entity);
                        entityManager.getTransaction().commit();
                    } finally {
                        entityManager.close();
                    }
                    return null;
                }));
            }
            for (Future<?> thread : threads) {
                try {
                    thread.get(30, TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    throw new AssertionError("a spooler thread still waits after 30 s: deadlock\n" + threadsAndLocks(), e);
                }
            }
        } finally {
            spooler.shutdownNow();
        }
        assertThat(spooler.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    /** Each thread of the pool with what it waits for and the locks it holds. */
    private static String threadsAndLocks() {
        StringBuilder dump = new StringBuilder();
        for (ThreadInfo thread : ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) {
            if (thread.getThreadName().startsWith("pool-")) {
                dump.append('"').append(thread.getThreadName()).append("\" ").append(thread.getThreadState())
                    .append(thread.getLockName() == null ? "" : " on " + thread.getLockName())
                    .append(thread.getLockOwnerName() == null ? "" : " owned by \"" + thread.getLockOwnerName() + '"').append('\n');
                for (StackTraceElement frame : List.of(thread.getStackTrace()).subList(0, Math.min(12, thread.getStackTrace().length))) {
                    dump.append("    at ").append(frame).append('\n');
                }
                for (MonitorInfo monitor : thread.getLockedMonitors()) {
                    dump.append("    holds ").append(monitor).append('\n');
                }
            }
        }
        return dump.toString();
    }

    private static <T> List<T> selectAll(EntityManager entityManager, Class<T> entity) {
        CriteriaQuery<T> query = entityManager.getCriteriaBuilder().createQuery(entity);
        return entityManager.createQuery(query.select(query.from(entity))).getResultList();
    }
}
