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
import org.apache.james.utils.PropertiesProvider;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;

/**
 * The one {@link EntityManagerFactory} shared by James's JPA repositories, built from
 * {@code james-database.properties}: {@code database.*} for the connection and every
 * {@code openjpa.*} key passed to OpenJPA as it is.
 */
public class EntityManagerFactoryModule extends AbstractModule {

    static final String PERSISTENCE_UNIT = "maildeck";

    @Provides
    @Singleton
    EntityManagerFactory entityManagerFactory(PropertiesProvider propertiesProvider)
            throws FileNotFoundException, ConfigurationException {
        Configuration database = propertiesProvider.getConfiguration("james-database");
        Map<String, String> properties = new HashMap<>();
        properties.put("openjpa.ConnectionDriverName", required(database, "database.driverClassName"));
        properties.put("openjpa.ConnectionURL", required(database, "database.url"));
        putIfNotBlank(properties, "openjpa.ConnectionUserName", database.getString("database.username", ""));
        putIfNotBlank(properties, "openjpa.ConnectionPassword", database.getString("database.password", ""));
        for (Iterator<String> keys = database.getKeys("openjpa"); keys.hasNext(); ) {
            String key = keys.next();
            properties.put(key, database.getString(key));
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
