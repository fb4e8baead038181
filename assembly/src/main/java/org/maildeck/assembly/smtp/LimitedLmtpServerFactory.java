package org.maildeck.assembly.smtp;

import org.apache.james.filesystem.api.FileSystem;
import org.apache.james.lmtpserver.netty.LMTPServer;
import org.apache.james.lmtpserver.netty.LMTPServerFactory;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.protocols.lib.handler.ProtocolHandlerLoader;

/** Makes the configured LMTP listeners {@link LimitedLmtpServer}s. */
class LimitedLmtpServerFactory extends LMTPServerFactory {

    LimitedLmtpServerFactory(ProtocolHandlerLoader loader, FileSystem fileSystem, MetricFactory metricFactory) {
        super(loader, fileSystem, metricFactory);
    }

    @Override
    protected LMTPServer createServer() {
        return new LimitedLmtpServer(lmtpMetrics);
    }
}
