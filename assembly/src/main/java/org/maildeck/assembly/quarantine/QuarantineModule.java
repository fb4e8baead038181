package org.maildeck.assembly.quarantine;

import java.time.Clock;

import javax.inject.Singleton;
import javax.persistence.EntityManagerFactory;

import org.apache.james.filesystem.api.JamesDirectoriesProvider;
import org.apache.james.webadmin.Routes;
import org.maildeck.assembly.ServerLocations;
import org.maildeck.contentfilter.quarantine.Quarantine;
import org.maildeck.mailets.quarantine.QuarantineDeletion;
import org.maildeck.mailets.quarantine.QuarantineManagement;
import org.maildeck.mailets.quarantine.QuarantineRelease;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Scopes;
import com.google.inject.multibindings.Multibinder;

/** The content filter's quarantine: files under {@code <data>/quarantine}, the index in Derby. */
public class QuarantineModule extends AbstractModule {

    @Override
    protected void configure() {
        bind(QuarantineRelease.class).in(Scopes.SINGLETON);
        bind(QuarantineDeletion.class).in(Scopes.SINGLETON);
        bind(QuarantineManagement.class).in(Scopes.SINGLETON);
        Multibinder.newSetBinder(binder(), Routes.class).addBinding().to(QuarantineRoutes.class);
    }

    @Provides
    @Singleton
    Quarantine quarantine(JamesDirectoriesProvider directories, EntityManagerFactory entityManagerFactory) {
        return new Quarantine(((ServerLocations) directories).dataPath("quarantine"), entityManagerFactory, Clock.systemUTC());
    }
}
