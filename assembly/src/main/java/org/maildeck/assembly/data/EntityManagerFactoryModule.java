package org.maildeck.assembly.data;

import java.io.FileNotFoundException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

import javax.inject.Singleton;
import javax.persistence.EntityManagerFactory;
import javax.persistence.Persistence;

import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.server.core.configuration.ConfigurationProvider;
import org.apache.james.utils.PropertiesProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;

/**
 * The one {@link EntityManagerFactory} shared by James's JPA repositories, built from
 * {@code james-database.properties}: {@code database.*} for the connection and every
 * {@code openjpa.*} key passed to OpenJPA as it is; the connection pool sized by
 * {@link ConnectionPool}. The persistence unit (META-INF/persistence.xml) has OpenJPA resolve
 * every entity's metadata here, once, before anything else uses the database. Built by
 * {@link DatabaseHeadStart}, beside the injector.
 */
public class EntityManagerFactoryModule extends AbstractModule {

    static final String PERSISTENCE_UNIT = "maildeck";
    /** JamesMailSpooler's default when mailetcontainer.xml gives no {@code spooler.threads}. */
    private static final int JAMES_SPOOLER_THREADS = 100;
    private static final String CONNECTION_PROPERTIES = "openjpa.ConnectionProperties";
    private static final Logger LOGGER = LoggerFactory.getLogger(EntityManagerFactoryModule.class);

    @Provides
    @Singleton
    EntityManagerFactory entityManagerFactory(DatabaseHeadStart headStart) throws FileNotFoundException, ConfigurationException {
        return headStart.entityManagerFactory();
    }

    static EntityManagerFactory build(PropertiesProvider propertiesProvider, ConfigurationProvider configurationProvider)
            throws FileNotFoundException, ConfigurationException {
        Configuration database = propertiesProvider.getConfiguration("james-database");
        int spoolerThreads = configurationProvider.getConfiguration("mailetcontainer").getInt("spooler.threads", JAMES_SPOOLER_THREADS);
        ConnectionPool pool = ConnectionPool.from(database, spoolerThreads);
        LOGGER.info("database connection pool: {} connections ({} spooler threads + {}), wait for one at most {} s",
            pool.maxTotal(), spoolerThreads, pool.maxTotal() - spoolerThreads, pool.maxWait().toSeconds());
        Map<String, String> properties = new HashMap<>();
        properties.put(CONNECTION_PROPERTIES, pool.asConnectionProperties());
        properties.put("openjpa.ConnectionDriverName", required(database, "database.driverClassName"));
        properties.put("openjpa.ConnectionURL", required(database, "database.url"));
        putIfNotBlank(properties, "openjpa.ConnectionUserName", database.getString("database.username", ""));
        putIfNotBlank(properties, "openjpa.ConnectionPassword", database.getString("database.password", ""));
        for (Iterator<String> keys = database.getKeys("openjpa"); keys.hasNext(); ) {
            String key = keys.next();
            // James reads properties files with ',' as list separator: OpenJPA's values use it too
            String value = String.join(", ", database.getStringArray(key));
            if (key.equals(CONNECTION_PROPERTIES)) {
                // an admin's own pool settings come after ours: OpenJPA keeps a key's last value
                properties.merge(key, value, (ours, theirs) -> ours + ", " + theirs);
            } else {
                properties.put(key, value);
            }
        }
        return Persistence.createEntityManagerFactory(PERSISTENCE_UNIT, properties);
    }

    private static String required(Configuration configuration, String key) throws ConfigurationException {
        String value = configuration.getString(key, "");
        if (value.isBlank()) {
            throw new ConfigurationException("james-database.properties: " + key + " is required");
        }
        return value;
    }

    private static void putIfNotBlank(Map<String, String> properties, String key, String value) {
        if (!value.isBlank()) {
            properties.put(key, value);
        }
    }
}
