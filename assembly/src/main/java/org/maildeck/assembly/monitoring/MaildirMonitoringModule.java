package org.maildeck.assembly.monitoring;

import org.apache.james.modules.server.JMXServer;
import org.apache.james.utils.InitializationOperation;
import org.apache.james.utils.InitilizationOperationBuilder;
import org.maildeck.durability.FsyncListener;
import org.maildeck.mailets.MaildirDeliveryCounters;
import org.maildeck.monitoring.FsyncLatencies;
import org.maildeck.monitoring.MaildirStoreStatistics;

import com.google.inject.AbstractModule;
import com.google.inject.Scopes;
import com.google.inject.multibindings.OptionalBinder;
import com.google.inject.multibindings.ProvidesIntoSet;

/**
 * The {@code org.maildeck:type=MaildirStore} MBean. {@link MaildirDeliveryCounters} is bound here, in
 * the server's injector, so that the delivery mailet (made by James's loader in a child
 * injector) and the MBean share one instance; the store reports its fsyncs to the window.
 */
public class MaildirMonitoringModule extends AbstractModule {

    @Override
    protected void configure() {
        bind(MaildirDeliveryCounters.class).in(Scopes.SINGLETON);
        bind(FsyncLatencies.class).in(Scopes.SINGLETON);
        bind(MaildirStoreStatistics.class).in(Scopes.SINGLETON);
        OptionalBinder.newOptionalBinder(binder(), FsyncListener.class).setBinding().to(FsyncLatencies.class);
    }

    @ProvidesIntoSet
    InitializationOperation registerMBean(JMXServer jmx, MaildirStoreStatistics statistics) {
        return InitilizationOperationBuilder.forClass(JMXServer.class).init(() -> jmx.register(MaildirStoreStatistics.NAME, statistics));
    }
}
