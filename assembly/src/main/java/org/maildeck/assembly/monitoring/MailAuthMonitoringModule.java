package org.maildeck.assembly.monitoring;

import org.apache.james.modules.server.JMXServer;
import org.apache.james.utils.InitializationOperation;
import org.apache.james.utils.InitilizationOperationBuilder;
import org.maildeck.mailauth.MailAuthCounters;
import org.maildeck.monitoring.MailAuthStatistics;

import com.google.inject.AbstractModule;
import com.google.inject.Scopes;
import com.google.inject.multibindings.ProvidesIntoSet;

/**
 * The {@code org.maildeck:type=MailAuth} MBean. {@link MailAuthCounters} is bound here, in the
 * server's injector, so that the SMTP hooks and mailets (made by James's loaders in child
 * injectors) and the MBean share one instance.
 */
public class MailAuthMonitoringModule extends AbstractModule {

    @Override
    protected void configure() {
        bind(MailAuthCounters.class).in(Scopes.SINGLETON);
        bind(MailAuthStatistics.class).in(Scopes.SINGLETON);
    }

    @ProvidesIntoSet
    InitializationOperation registerMBean(JMXServer jmx, MailAuthStatistics statistics) {
        return InitilizationOperationBuilder.forClass(JMXServer.class).init(() -> jmx.register(MailAuthStatistics.NAME, statistics));
    }
}
