package org.maildeck.assembly.data;

import java.io.FileNotFoundException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

import javax.persistence.EntityManagerFactory;

import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.server.core.configuration.Configuration;
import org.apache.james.server.core.configuration.ConfigurationProvider;
import org.apache.james.server.core.configuration.FileConfigurationProvider;
import org.apache.james.server.core.filesystem.FileSystemImpl;
import org.apache.james.utils.PropertiesProvider;

import com.google.inject.AbstractModule;
import com.google.inject.Module;

/**
 * The database's {@link EntityManagerFactory}, built on a thread of its own from the moment the
 * server is composed, while the main thread builds Guice's injector and the components before
 * the first repository.
 *
 * <p>A start is one thread's work, one step after the other, and OpenJPA's factory (Derby's boot,
 * the entities' metadata, the schema synchronisation) was the longest step after the injector;
 * it needs nothing but two configuration files, so on a machine of two cores it can run beside
 * the injector instead of after it (bench/README.md, "Start, round 5"). The provider of the
 * factory waits for it; a failure is thrown there, as it was when the provider built it.</p>
 */
public final class DatabaseHeadStart {

    private final FutureTask<EntityManagerFactory> building;

    private DatabaseHeadStart(FutureTask<EntityManagerFactory> building) {
        this.building = building;
    }

    /** Starts building the factory from the server's configuration files. */
    public static DatabaseHeadStart begin(Configuration configuration) {
        FileSystemImpl fileSystem = new FileSystemImpl(configuration.directories());
        PropertiesProvider properties = new PropertiesProvider(fileSystem, configuration.configurationPath());
        ConfigurationProvider xml = new FileConfigurationProvider(fileSystem, configuration);
        DatabaseHeadStart start = new DatabaseHeadStart(new FutureTask<>(() -> EntityManagerFactoryModule.build(properties, xml)));
        Thread thread = new Thread(start.building, "database-start");
        // a server that fails to compose does not wait for it to exit
        thread.setDaemon(true);
        thread.start();
        return start;
    }

    /** The factory, once built; what stopped it from being built, as the provider threw it before. */
    EntityManagerFactory entityManagerFactory() throws FileNotFoundException, ConfigurationException {
        try {
            return building.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the database was starting", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof FileNotFoundException notFound) {
                throw notFound;
            }
            if (cause instanceof ConfigurationException configuration) {
                throw configuration;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(cause);
        }
    }

    /** Binds this start for {@link EntityManagerFactoryModule}. */
    public Module module() {
        return new AbstractModule() {
            @Override
            protected void configure() {
                bind(DatabaseHeadStart.class).toInstance(DatabaseHeadStart.this);
            }
        };
    }
}
