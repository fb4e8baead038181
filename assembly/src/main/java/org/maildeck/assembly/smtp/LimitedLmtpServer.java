package org.maildeck.assembly.smtp;

import org.apache.commons.configuration2.HierarchicalConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.commons.configuration2.tree.ImmutableNode;
import org.apache.james.lmtpserver.netty.LMTPMetricsImpl;
import org.apache.james.lmtpserver.netty.LMTPServer;
import org.apache.james.protocols.netty.ChannelHandlerFactory;
import org.apache.james.smtpserver.netty.SMTPChannelInboundHandler;
import org.maildeck.mailets.smtpd.RecipientLimitSetting;

import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * James's LMTP listener with the limits of Maildeck's SMTP listeners ({@link SmtpLimits}, read from
 * its {@code <lmtpserver>} element): lines framed by {@link SmtpLineFramer} instead of James's
 * 8192-byte framer, which dropped a longer line of a message and answered it with a stray 500
 * (every later reply then answered the command before), sessions that are
 * {@link LineLimitedSession}s, and a configuration that carries the recipient limit.
 */
class LimitedLmtpServer extends LMTPServer {

    private final LMTPMetricsImpl lmtpMetrics;
    private SmtpLimits limits;

    LimitedLmtpServer(LMTPMetricsImpl lmtpMetrics) {
        super(lmtpMetrics);
        this.lmtpMetrics = lmtpMetrics;
    }

    @Override
    public void doConfigure(HierarchicalConfiguration<ImmutableNode> configuration) throws ConfigurationException {
        super.doConfigure(configuration);
        limits = SmtpLimits.read(configuration);
    }

    @Override
    protected ChannelInboundHandlerAdapter createCoreHandler() {
        return new SMTPChannelInboundHandler(new LineLimitedProtocol(getProtocolHandlerChain(), new LimitedConfiguration()), lmtpMetrics);
    }

    @Override
    protected ChannelHandlerFactory createFrameHandlerFactory() {
        return SmtpLineFramer.factory(limits);
    }

    private class LimitedConfiguration extends LMTPConfigurationImpl implements RecipientLimitSetting {
        @Override
        public int recipientLimit() {
            return limits.recipients();
        }
    }
}
