package org.maildeck.assembly.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.persistence.EntityManager;
import javax.persistence.EntityManagerFactory;
import javax.persistence.Persistence;

import org.apache.commons.configuration2.BaseConfiguration;
import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.openjpa.persistence.OpenJPAPersistence;
import org.junit.jupiter.api.Test;

class ConnectionPoolTest {

    private static Configuration database(String... keysAndValues) {
        BaseConfiguration configuration = new BaseConfiguration();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            configuration.addProperty(keysAndValues[i], keysAndValues[i + 1]);
        }
        return configuration;
    }

    @Test
    void byDefaultEverySpoolerThreadHasAConnectionAndOthersHaveTwenty() throws ConfigurationException {
        ConnectionPool pool = ConnectionPool.from(database(), 20);

        assertThat(pool.maxTotal()).isEqualTo(40);
        assertThat(pool.maxWait()).isEqualTo(Duration.ofSeconds(30));
        assertThat(pool.asConnectionProperties()).isEqualTo("MaxTotal=40, MaxIdle=40, MaxWaitMillis=30000");
    }

    @Test
    void takesTheAdminsSizeAndWait() throws ConfigurationException {
        ConnectionPool pool = ConnectionPool.from(database("datasource.maxTotal", "64", "datasource.maxWait", "2m"), 20);

        assertThat(pool.maxTotal()).isEqualTo(64);
        assertThat(pool.maxWait()).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void refusesAPoolTheSpoolerAloneCanEmpty() {
        assertThatThrownBy(() -> ConnectionPool.from(database("datasource.maxTotal", "8"), 20))
            .isInstanceOf(ConfigurationException.class)
            .hasMessageContaining("datasource.maxTotal=8")
            .hasMessageContaining("20 threads");
    }

    /** What OpenJPA makes of the settings: DBCP's own default would be 8 connections and an endless wait. */
    @Test
    void openJpaGivesThePoolItsSizeAndItsWait() throws Exception {
        ConnectionPool pool = ConnectionPool.from(database("datasource.maxTotal", "10", "datasource.maxWait", "1s"), 9);
        EntityManagerFactory factory = Persistence.createEntityManagerFactory(EntityManagerFactoryModule.PERSISTENCE_UNIT, Map.of(
            "openjpa.ConnectionDriverName", "org.apache.derby.iapi.jdbc.AutoloadedDriver",
            "openjpa.ConnectionURL", "jdbc:derby:memory:" + UUID.randomUUID() + ";create=true",
            "openjpa.ConnectionProperties", pool.asConnectionProperties()));
        List<EntityManager> holding = new ArrayList<>();
        List<Connection> connections = new ArrayList<>();
        try {
            for (int i = 0; i < 10; i++) {
                holdAConnection(factory, holding, connections);
            }
            long start = System.nanoTime();
            assertThatThrownBy(() -> holdAConnection(factory, holding, connections)).as("the 11th connection").isInstanceOf(RuntimeException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(900), Duration.ofSeconds(10));
        } finally {
            for (EntityManager entityManager : holding) {
                if (entityManager.getTransaction().isActive()) {
                    entityManager.getTransaction().rollback();
                }
                entityManager.close();
            }
            factory.close();
        }
    }

    /**
     * Keeps the connection reachable as well as its manager: OpenJPA's client connection closes
     * itself in {@code finalize()}, so a collection between two calls would give it back to the
     * pool and let one more through.
     */
    private static void holdAConnection(EntityManagerFactory factory, List<EntityManager> holding, List<Connection> connections) {
        EntityManager entityManager = factory.createEntityManager();
        holding.add(entityManager);
        entityManager.getTransaction().begin();
        connections.add((Connection) OpenJPAPersistence.cast(entityManager).getConnection());
    }

    @Test
    void refusesAnEndlessOrUnreadableWait() {
        assertThatThrownBy(() -> ConnectionPool.from(database("datasource.maxWait", "0"), 20))
            .isInstanceOf(ConfigurationException.class).hasMessageContaining("datasource.maxWait=0");
        assertThatThrownBy(() -> ConnectionPool.from(database("datasource.maxWait", "forever"), 20))
            .isInstanceOf(ConfigurationException.class).hasMessageContaining("datasource.maxWait=forever");
    }
}
