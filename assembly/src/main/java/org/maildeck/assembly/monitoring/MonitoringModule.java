package org.maildeck.assembly.monitoring;

import java.util.Map;

import org.apache.james.modules.server.JMXServer;
import org.apache.james.utils.InitializationOperation;
import org.apache.james.utils.InitilizationOperationBuilder;
import org.maildeck.contentfilter.ScanRoute;
import org.maildeck.mailets.ContentFilterCounters;
import org.maildeck.mailets.auth.LoginProtocol;
import org.maildeck.mailets.quarantine.QuarantineManagement;
import org.maildeck.mailets.smtpd.RelayDenials;
import org.maildeck.monitoring.ContentFilterStatistics;
import org.maildeck.monitoring.LastHour;
import org.maildeck.monitoring.LastMinute;
import org.maildeck.monitoring.LoginStatistics;
import org.maildeck.monitoring.ScannerLatencies;
import org.maildeck.monitoring.SieveStatistics;
import org.maildeck.monitoring.SmtpStatistics;
import org.maildeck.spool.MonitoredQueues;
import org.maildeck.spool.QueueMXBean;

import com.google.inject.AbstractModule;
import com.google.inject.Scopes;
import com.google.inject.multibindings.ProvidesIntoSet;

/**
 * Maildeck's own MBeans under {@code org.maildeck}, served by the loopback JMX connector. The
 * counters are bound here, in the server's injector, so that the SMTP hooks (made by James's
 * loaders in child injectors) and the MBeans share one instance of each.
 */
public class MonitoringModule extends AbstractModule {

    @Override
    protected void configure() {
        bind(RelayDenials.class).in(Scopes.SINGLETON);
        bind(SmtpStatistics.class).in(Scopes.SINGLETON);
        bind(LoginStatistics.class).in(Scopes.SINGLETON);
        bind(ContentFilterCounters.class).in(Scopes.SINGLETON);
        bind(ScannerLatencies.class).in(Scopes.SINGLETON);
        bind(ContentFilterStatistics.class).in(Scopes.SINGLETON);
        bind(LastMinute.class).in(Scopes.SINGLETON);
        bind(LastHour.class).in(Scopes.SINGLETON);
    }

    @ProvidesIntoSet
    InitializationOperation registerMBeans(JMXServer jmx, SmtpStatistics smtp, LoginStatistics logins, ContentFilterStatistics contentFilter, ScanRoute route,
                                           QuarantineManagement quarantine, MonitoredQueues queues,
                                           LastMinute lastMinute, LastHour lastHour) {
        return InitilizationOperationBuilder.forClass(JMXServer.class).init(() -> {
            jmx.register(SmtpStatistics.AUTH_NAME, smtp.auth());
            jmx.register(SmtpStatistics.RELAY_NAME, smtp.relay());
            for (LoginProtocol protocol : LoginProtocol.values()) {
                jmx.register(LoginStatistics.name(protocol), logins.of(protocol));
            }
            jmx.register(ContentFilterStatistics.CONTENT_FILTER_NAME, contentFilter.contentFilter());
            jmx.register(QuarantineManagement.NAME, quarantine);
            jmx.register(SieveStatistics.NAME, new SieveStatistics());
            lastMinute.start();
            lastHour.start();
            jmx.register(LastMinute.NAME, lastMinute);
            for (Map.Entry<String, QueueMXBean> queue : queues.mbeans().entrySet()) {
                jmx.register(MonitoredQueues.mbeanName(queue.getKey()), queue.getValue());
            }
            for (String scanner : route.scannerNames()) {
                jmx.register(ContentFilterStatistics.scannerName(scanner), contentFilter.scanner(scanner));
            }
        });
    }
}
