package org.maildeck.spool;

import javax.jms.ConnectionFactory;

import org.apache.james.metrics.api.GaugeRegistry;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.queue.activemq.ActiveMQMailQueueFactory;
import org.apache.james.queue.activemq.metric.ActiveMQMetricCollector;
import org.apache.james.queue.api.MailQueueItemDecoratorFactory;
import org.apache.james.queue.api.MailQueueName;
import org.apache.james.queue.api.ManageableMailQueue;

/** James's ActiveMQ queue factory, making {@link GroupCommitMailQueue}s. */
public final class GroupCommitMailQueueFactory extends ActiveMQMailQueueFactory {

    private final ActiveMQMetricCollector metricCollector;

    public GroupCommitMailQueueFactory(ConnectionFactory connectionFactory, MailQueueItemDecoratorFactory decorators,
                                MetricFactory metricFactory, GaugeRegistry gaugeRegistry, ActiveMQMetricCollector metricCollector) {
        super(connectionFactory, decorators, metricFactory, gaugeRegistry, metricCollector);
        this.metricCollector = metricCollector;
    }

    @Override
    protected ManageableMailQueue createCacheableMailQueue(MailQueueName name) {
        metricCollector.collectQueueStatistics(name);
        return new GroupCommitMailQueue(connectionFactory, mailQueueItemDecoratorFactory, name, metricFactory, gaugeRegistry);
    }
}
