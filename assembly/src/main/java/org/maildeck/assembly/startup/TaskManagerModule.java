package org.maildeck.assembly.startup;

import org.apache.james.modules.server.TaskSerializationModule;
import org.apache.james.task.Hostname;
import org.apache.james.task.MemoryTaskManager;
import org.apache.james.task.TaskManager;

import javax.inject.Provider;
import javax.inject.Singleton;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Scopes;

/**
 * James's task manager (WebAdmin's long-running tasks), bound as James's own module does, but
 * with a node name that does not need the host name to resolve ({@link LocalHostname}): James's
 * module fails at its mere installation when it does not. Built on first use
 * ({@link TaskManagerOnFirstUse}).
 */
public final class TaskManagerModule extends AbstractModule {

    @Override
    protected void configure() {
        install(new TaskSerializationModule());
        bind(Hostname.class).toInstance(new Hostname(LocalHostname.name()));
        bind(MemoryTaskManager.class).in(Scopes.SINGLETON);
    }

    @Provides
    @Singleton
    TaskManager taskManager(Provider<MemoryTaskManager> memory) {
        return new TaskManagerOnFirstUse(memory);
    }
}
