package org.maildeck.assembly.smtp;

import org.apache.commons.configuration2.HierarchicalConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.commons.configuration2.tree.ImmutableNode;
import org.apache.james.protocols.netty.ChannelHandlerFactory;
import org.apache.james.protocols.smtp.SMTPProtocol;
import org.apache.james.smtpserver.netty.SMTPServer;
import org.apache.james.smtpserver.netty.SmtpMetrics;
import org.maildeck.mailets.smtpd.RecipientLimitSetting;

import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * James's SMTP listener with Maildeck's {@link SmtpLimits}: lines framed by {@link SmtpLineFramer}
 * (long lines of a message kept, too long ones refused without losing step), sessions that are
 * {@link LineLimitedSession}s, a configuration that carries the recipient limit to the RCPT
 * handler, and connections handled without James's logging context ({@link SmtpHandlerWithoutLogContext}).
 */
class LimitedSmtpServer extends SMTPServer {

    private final SmtpMetrics smtpMetrics;
    private SmtpLimits limits;
    private SMTPProtocol protocol;

    LimitedSmtpServer(SmtpMetrics smtpMetrics) {
        super(smtpMetrics);
        this.smtpMetrics = smtpMetrics;
    }

    @Override
    public void doConfigure(HierarchicalConfiguration<ImmutableNode> configuration) throws ConfigurationException {
        super.doConfigure(configuration);
        limits = SmtpLimits.read(configuration);
    }

    // James's SMTPServer keeps its protocol to itself: this one is the same but for the session.
    @Override
    protected void preInit() throws Exception {
        super.preInit();
        protocol = new LineLimitedProtocol(getProtocolHandlerChain(), new LimitedConfiguration());
    }

    @Override
    protected ChannelInboundHandlerAdapter createCoreHandler() {
        return new SmtpHandlerWithoutLogContext(protocol, getEncryption(), proxyRequired, smtpMetrics);
    }

    @Override
    protected ChannelHandlerFactory createFrameHandlerFactory() {
        return SmtpLineFramer.factory(limits);
    }

    private class LimitedConfiguration extends SMTPHandlerConfigurationDataImpl implements RecipientLimitSetting {
        @Override
        public int recipientLimit() {
            return limits.recipients();
        }
    }
}
