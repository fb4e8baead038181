package org.maildeck.assembly.startup;

import org.apache.james.utils.GuiceProbe;
import org.apache.james.utils.InitializationOperations;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.Multibinder;

public class StartupModule extends AbstractModule {
    @Override
    protected void configure() {
        // every initialization operation placed among the provisioned classes, or no start
        bind(InitializationOperations.class).to(ProvisionedInitializationOperations.class);
        Multibinder.newSetBinder(binder(), GuiceProbe.class).addBinding().to(ProtocolListeners.class);
    }
}
