package org.maildeck.assembly.smtp;

import org.apache.james.lifecycle.api.LifecycleUtil;
import org.apache.james.protocols.api.Protocol;
import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.netty.BasicChannelInboundHandler;
import org.apache.james.protocols.netty.Encryption;
import org.apache.james.protocols.netty.ProtocolMDCContextFactory;
import org.apache.james.smtpserver.ExtendedSMTPSession;
import org.apache.james.smtpserver.SMTPConstants;
import org.apache.james.smtpserver.netty.SmtpMetrics;
import org.apache.james.util.MDCBuilder;

import io.netty.channel.ChannelHandlerContext;

/**
 * James's {@code SMTPChannelInboundHandler} (the same connection and command counts, the same
 * clean-up of an unfinished mail) without its logging context. James builds the session's MDC
 * anew for every read of the connection ({@code SMTPMDCContextFactory}: protocol, address, HELO
 * name, sender, recipients... put into logback's MDC one key at a time and taken out again) and
 * for its start and end, about eight times per mail, while Maildeck's log pattern
 * ({@code conf/logback.xml}) prints no MDC key: every mail-log line names its queue id and
 * client itself. In the ingest profile that context was about a tenth of the SMTP session's
 * samples. James's handler takes the factory from its own constructor, hence this class.
 */
class SmtpHandlerWithoutLogContext extends BasicChannelInboundHandler {

    private static final ProtocolMDCContextFactory NO_CONTEXT = new ProtocolMDCContextFactory() {
        @Override
        public MDCBuilder onBound(Protocol protocol, ChannelHandlerContext ctx) {
            return MDCBuilder.create();
        }

        @Override
        public MDCBuilder withContext(ProtocolSession session) {
            return MDCBuilder.create();
        }
    };

    private final SmtpMetrics metrics;

    SmtpHandlerWithoutLogContext(Protocol protocol, Encryption encryption, boolean proxyRequired, SmtpMetrics metrics) {
        super(NO_CONTEXT, protocol, encryption, proxyRequired);
        this.metrics = metrics;
        resultHandlers.add((session, response, executionTime, handler) -> {
            metrics.getCommandsMetric().increment();
            return response;
        });
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        super.channelActive(ctx);
        metrics.getConnectionMetric().increment();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        super.channelInactive(ctx);
        metrics.getConnectionMetric().decrement();
    }

    /** The mail of a transaction the client left unfinished, and its spooled message, are disposed of. */
    @Override
    protected void cleanup(ChannelHandlerContext ctx) {
        ExtendedSMTPSession session = (ExtendedSMTPSession) ctx.channel().attr(SMTPConstants.SMTP_SESSION_ATTRIBUTE_KEY).get();
        if (session != null) {
            session.getAttachment(SMTPConstants.MAIL, ProtocolSession.State.Transaction).ifPresent(LifecycleUtil::dispose);
            if (session.getMimeMessageWriter() != null) {
                LifecycleUtil.dispose(session.getMimeMessageWriter());
            }
        }
        super.cleanup(ctx);
    }
}
