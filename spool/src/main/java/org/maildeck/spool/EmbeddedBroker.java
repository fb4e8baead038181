package org.maildeck.spool;

import java.io.File;

import javax.inject.Inject;
import javax.inject.Singleton;
import javax.jms.ConnectionFactory;

import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.activemq.ActiveMQPrefetchPolicy;
import org.apache.activemq.broker.BrokerPlugin;
import org.apache.activemq.broker.BrokerService;
import org.apache.activemq.broker.region.policy.PolicyEntry;
import org.apache.activemq.broker.region.policy.PolicyMap;
import org.apache.activemq.plugin.StatisticsBrokerPlugin;
import org.apache.activemq.store.kahadb.KahaDBPersistenceAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The in-process ActiveMQ broker that holds the mail queues, with its KahaDB journal under the
 * data directory. The journal is synced on every write by default, so that a message the SMTP
 * server answered 250 for is on disk before the client hears it.
 */
@Singleton
public class EmbeddedBroker {

    private static final Logger LOGGER = LoggerFactory.getLogger(EmbeddedBroker.class);
    private static final String BROKER_NAME = "maildeck";
    private static final int JOURNAL_WRITE_BATCH_BYTES = 1024 * 1024;

    private final BrokerService broker;
    private final ActiveMQConnectionFactory connectionFactory;

    @Inject
    public EmbeddedBroker(QueueSettings settings) throws Exception {
        File store = settings.storeDirectory().toFile();
        broker = new BrokerService();
        broker.setBrokerName(BROKER_NAME);
        broker.setPersistent(true);
        broker.setUseJmx(false);
        broker.setUseShutdownHook(false);
        broker.setSchedulerSupport(false);
        broker.setAdvisorySupport(false);
        broker.setDataDirectoryFile(store);
        broker.setTmpDataDirectory(new File(store, "tmp"));
        broker.setPersistenceAdapter(kahaDb(new File(store, "kahadb"), settings.journalSyncStrategy()));
        // Answers the statistics requests of James's queue metric collector (queue sizes).
        broker.setPlugins(new BrokerPlugin[] {new StatisticsBrokerPlugin()});
        broker.setEnableStatistics(true);
        broker.setDestinationPolicy(sendersDispatch());
        broker.getSystemUsage().getMemoryUsage().setLimit(settings.memoryLimitBytes());
        broker.getSystemUsage().getStoreUsage().setLimit(settings.storeLimitBytes());
        broker.getSystemUsage().getTempUsage().setLimit(settings.tempLimitBytes());
        broker.start();
        broker.waitUntilStarted();
        LOGGER.info("mail queue store {} (journal sync: {})", store, settings.journalSyncStrategy());

        connectionFactory = new DirectReplyConnectionFactory("vm://" + BROKER_NAME + "?create=false");
        connectionFactory.setTrustAllPackages(false);
        connectionFactory.setPrefetchPolicy(noPrefetch());
    }

    private static KahaDBPersistenceAdapter kahaDb(File directory, String syncStrategy) {
        KahaDBPersistenceAdapter kahaDb = new KahaDBPersistenceAdapter();
        kahaDb.setDirectory(directory);
        kahaDb.setJournalDiskSyncStrategy(syncStrategy);
        // Store each message on the thread of the connection that sent it, not on KahaDB's one
        // "ConcurrentQueueStoreAndDispatch" thread, which stores (and syncs) one message at a
        // time: only concurrent journal writes share an fsync (see BrokerLanes).
        kahaDb.setConcurrentStoreAndDispatchQueues(false);
        // The journal's writer keeps a buffer of this size for the server's life (KahaDB's default,
        // 4 MiB, is a tenth of an idle server's live heap). A batch of concurrent writes that share
        // one fsync stops growing at this size; 1 MiB is still ~250 mails of the usual 4 KiB, more
        // than the listeners' sessions can have waiting, and a larger mail makes a batch of its own
        // (the buffer grows to it) either way.
        kahaDb.setJournalMaxWriteBatchSize(JOURNAL_WRITE_BATCH_BYTES);
        return kahaDb;
    }

    // The broker's thread that stored a message (or took an acknowledgement) gives the queue's
    // next message to a waiting consumer itself, instead of waking the queue's dispatch task.
    private static PolicyMap sendersDispatch() {
        PolicyEntry queues = new PolicyEntry();
        queues.setQueue(">");
        queues.setOptimizedDispatch(true);
        PolicyMap policies = new PolicyMap();
        policies.setDefaultEntry(queues);
        return policies;
    }

    // Messages stay on the broker until a spooler thread takes one: a consumer must not hold
    // mails it is not working on (they would wait behind a slow one).
    private static ActiveMQPrefetchPolicy noPrefetch() {
        ActiveMQPrefetchPolicy prefetch = new ActiveMQPrefetchPolicy();
        prefetch.setQueuePrefetch(0);
        prefetch.setTopicPrefetch(0);
        return prefetch;
    }

    public ConnectionFactory connectionFactory() {
        return connectionFactory;
    }

    /**
     * Called by the server's shutdown after the container has stopped, not by the container:
     * spooler threads, queue consumers and the metric collector all talk to the broker until
     * they are gone.
     */
    public void stop() throws Exception {
        broker.stop();
        broker.waitUntilStopped();
        LOGGER.info("mail queue store closed");
    }
}
