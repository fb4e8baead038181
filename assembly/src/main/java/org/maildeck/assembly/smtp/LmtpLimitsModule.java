package org.maildeck.assembly.smtp;

import javax.inject.Singleton;

import org.apache.james.filesystem.api.FileSystem;
import org.apache.james.lmtpserver.netty.LMTPServerFactory;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.protocols.lib.handler.ProtocolHandlerLoader;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;

/** James's LMTP server module, with listeners that apply {@link SmtpLimits} (override of LMTPServerModule's binding). */
public class LmtpLimitsModule extends AbstractModule {

    @Provides
    @Singleton
    LMTPServerFactory serverFactory(ProtocolHandlerLoader loader, FileSystem fileSystem, MetricFactory metricFactory) {
        return new LimitedLmtpServerFactory(loader, fileSystem, metricFactory);
    }
}
