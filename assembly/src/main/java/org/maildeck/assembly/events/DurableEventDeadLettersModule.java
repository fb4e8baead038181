package org.maildeck.assembly.events;

import java.nio.file.Path;

import javax.inject.Named;
import javax.inject.Singleton;

import org.apache.james.core.healthcheck.HealthCheck;
import org.apache.james.events.EventDeadLetters;
import org.apache.james.events.EventDeadLettersHealthCheck;
import org.apache.james.filesystem.api.JamesDirectoriesProvider;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Scopes;
import com.google.inject.multibindings.Multibinder;

/** Failed mailbox events kept on disk ({@link FileEventDeadLetters}) instead of in memory. */
public class DurableEventDeadLettersModule extends AbstractModule {

    static final String DIRECTORY = "event-dead-letters-directory";

    @Override
    protected void configure() {
        bind(FileEventDeadLetters.class).in(Scopes.SINGLETON);
        bind(EventDeadLetters.class).to(FileEventDeadLetters.class);
        Multibinder.newSetBinder(binder(), HealthCheck.class).addBinding().to(EventDeadLettersHealthCheck.class);
    }

    @Provides
    @Singleton
    @Named(DIRECTORY)
    Path directory(JamesDirectoriesProvider directories) {
        return Path.of(directories.getVarDirectory(), "event-dead-letters");
    }
}
