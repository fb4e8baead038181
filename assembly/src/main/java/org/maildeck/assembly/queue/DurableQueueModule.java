package org.maildeck.assembly.queue;

import java.io.FileNotFoundException;
import java.nio.file.Path;

import javax.inject.Singleton;
import javax.jms.ConnectionFactory;

import org.apache.commons.configuration2.BaseConfiguration;
import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.core.healthcheck.HealthCheck;
import org.apache.james.filesystem.api.JamesDirectoriesProvider;
import org.apache.james.metrics.api.GaugeRegistry;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.queue.activemq.ActiveMQConfiguration;
import org.apache.james.queue.activemq.ActiveMQHealthCheck;
import org.apache.james.queue.activemq.ActiveMQMailQueueFactory;
import org.apache.james.queue.activemq.metric.ActiveMQMetricCollector;
import org.apache.james.queue.activemq.metric.ActiveMQMetricCollectorImpl;
import org.apache.james.queue.api.MailQueue;
import org.apache.james.queue.api.MailQueueFactory;
import org.apache.james.queue.api.MailQueueItemDecoratorFactory;
import org.apache.james.queue.api.ManageableMailQueue;
import org.apache.james.utils.GuiceProbe;
import org.apache.james.utils.InitializationOperation;
import org.apache.james.utils.InitilizationOperationBuilder;
import org.apache.james.utils.PropertiesProvider;
import org.apache.james.webadmin.Routes;
import org.maildeck.spool.DelayWarningQueueFactory;
import org.maildeck.spool.EmbeddedBroker;
import org.maildeck.spool.GroupCommitMailQueueFactory;
import org.maildeck.spool.QueueSettings;
import org.maildeck.spool.DelayWarningSettings;
import org.maildeck.spool.MailQueueAdmin;
import org.maildeck.spool.OutgoingDeliveryDecorators;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Scopes;
import com.google.inject.multibindings.Multibinder;
import com.google.inject.multibindings.ProvidesIntoSet;

/**
 * Durable mail queues (spool, outgoing, ...): James's ActiveMQ queue on our {@link EmbeddedBroker}.
 */
public class DurableQueueModule extends AbstractModule {

    @Override
    protected void configure() {
        bind(EmbeddedBroker.class).in(Scopes.SINGLETON);
        Multibinder.newSetBinder(binder(), GuiceProbe.class).addBinding().to(QueueStoreProbe.class);
        bind(ActiveMQMetricCollectorImpl.class).in(Scopes.SINGLETON);
        bind(ActiveMQMetricCollector.class).to(ActiveMQMetricCollectorImpl.class);
        Multibinder.newSetBinder(binder(), HealthCheck.class).addBinding().to(ActiveMQHealthCheck.class);
        bind(MailQueueAdmin.class).in(Scopes.SINGLETON);
        bind(MailQueueItemDecoratorFactory.class).to(OutgoingDeliveryDecorators.class).in(Scopes.SINGLETON);
        Multibinder.newSetBinder(binder(), Routes.class).addBinding().to(QueueRoutes.class);
    }

    @Provides
    @Singleton
    QueueSettings queueSettings(PropertiesProvider propertiesProvider, JamesDirectoriesProvider directories)
            throws ConfigurationException {
        return QueueSettings.from(optionalProperties(propertiesProvider, "queue"), Path.of(directories.getVarDirectory()));
    }

    @Provides
    @Singleton
    ActiveMQConfiguration activeMqConfiguration(PropertiesProvider propertiesProvider) throws ConfigurationException {
        return ActiveMQConfiguration.from(optionalProperties(propertiesProvider, "queue"));
    }

    @Provides
    @Singleton
    ConnectionFactory connectionFactory(EmbeddedBroker broker) {
        return broker.connectionFactory();
    }

    @Provides
    @Singleton
    ActiveMQMailQueueFactory mailQueueFactory(ConnectionFactory connectionFactory, MailQueueItemDecoratorFactory decorators,
                                              MetricFactory metricFactory, GaugeRegistry gaugeRegistry,
                                              ActiveMQMetricCollector metricCollector) {
        // The whole mail travels inside the JMS message, so the synced journal holds it: blob
        // messages would keep the body in side files that the journal sync does not cover.
        ActiveMQMailQueueFactory factory = new GroupCommitMailQueueFactory(connectionFactory, decorators, metricFactory,
            gaugeRegistry, metricCollector);
        factory.setUseJMX(true);
        factory.init();
        return factory;
    }

    @Provides
    @Singleton
    MailQueueFactory<? extends ManageableMailQueue> manageableQueues(ActiveMQMailQueueFactory factory) {
        return factory;
    }

    @Provides
    @Singleton
    DelayWarningQueueFactory mailetQueues(ActiveMQMailQueueFactory factory, PropertiesProvider propertiesProvider)
            throws ConfigurationException {
        return new DelayWarningQueueFactory(factory, DelayWarningSettings.from(optionalProperties(propertiesProvider, "queue")));
    }

    /** What the mailet container and its mailets (RemoteDelivery) use. */
    @Provides
    @Singleton
    MailQueueFactory<?> queues(DelayWarningQueueFactory factory) {
        return factory;
    }

    @Provides
    @Singleton
    MailQueueFactory<? extends MailQueue> plainQueues(DelayWarningQueueFactory factory) {
        return factory;
    }

    @ProvidesIntoSet
    InitializationOperation startQueueMetrics(ActiveMQMetricCollector metricCollector) {
        return InitilizationOperationBuilder
            .forClass(ActiveMQMetricCollector.class)
            .init(metricCollector::start);
    }

    private static Configuration optionalProperties(PropertiesProvider propertiesProvider, String name)
            throws ConfigurationException {
        try {
            return propertiesProvider.getConfiguration(name);
        } catch (FileNotFoundException e) {
            return new BaseConfiguration();
        }
    }
}
