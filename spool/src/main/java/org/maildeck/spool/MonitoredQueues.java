package org.maildeck.spool;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.inject.Inject;
import javax.jms.ConnectionFactory;

import org.apache.commons.configuration2.HierarchicalConfiguration;
import org.apache.commons.configuration2.tree.ImmutableNode;
import org.apache.james.queue.api.MailQueueFactory;
import org.apache.james.server.core.configuration.ConfigurationProvider;

/**
 * The queues an admin watches: the spool and the outgoing queue of every {@code RemoteDelivery}
 * in mailetcontainer.xml. Read from the configuration rather than from the queues created so
 * far, so the MBeans exist from the start, whichever component creates its queue first.
 */
public class MonitoredQueues {

    private static final String REMOTE_DELIVERY = "RemoteDelivery";
    private static final String DEFAULT_OUTGOING = "outgoing";

    private final ConnectionFactory broker;
    private final ConfigurationProvider configuration;

    @Inject
    MonitoredQueues(ConnectionFactory broker, ConfigurationProvider configuration) {
        this.broker = broker;
        this.configuration = configuration;
    }

    public static String mbeanName(String queue) {
        return "org.maildeck:type=Queue,name=" + queue;
    }

    /** Queue name to its MBean, spool first. */
    public Map<String, QueueMXBean> mbeans() throws Exception {
        Map<String, QueueMXBean> mbeans = new LinkedHashMap<>();
        mbeans.put(MailQueueFactory.SPOOL.asString(), contents(MailQueueFactory.SPOOL.asString()));
        for (HierarchicalConfiguration<ImmutableNode> mailet : configuration.getConfiguration("mailetcontainer")
                .configurationsAt("processors.processor.mailet")) {
            String mailetClass = mailet.getString("[@class]", "");
            if (mailetClass.equals(REMOTE_DELIVERY) || mailetClass.endsWith("." + REMOTE_DELIVERY)) {
                String outgoing = mailet.getString("outgoing", DEFAULT_OUTGOING).trim();
                mbeans.putIfAbsent(outgoing, contents(outgoing));
            }
        }
        return mbeans;
    }

    private QueueMXBean contents(String queue) {
        return new QueueContents(broker, queue, Clock.systemUTC());
    }
}
