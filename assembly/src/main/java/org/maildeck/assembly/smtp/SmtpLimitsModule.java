package org.maildeck.assembly.smtp;

import javax.inject.Singleton;

import org.apache.james.dnsservice.api.DNSService;
import org.apache.james.filesystem.api.FileSystem;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.protocols.lib.handler.ProtocolHandlerLoader;
import org.apache.james.smtpserver.netty.SMTPServerFactory;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;

/** James's SMTP server module, with listeners that apply {@link SmtpLimits} (override of SMTPServerModule's binding). */
public class SmtpLimitsModule extends AbstractModule {

    @Provides
    @Singleton
    SMTPServerFactory serverFactory(DNSService dns, ProtocolHandlerLoader loader, FileSystem fileSystem, MetricFactory metricFactory) {
        return new LimitedSmtpServerFactory(dns, loader, fileSystem, metricFactory);
    }
}
