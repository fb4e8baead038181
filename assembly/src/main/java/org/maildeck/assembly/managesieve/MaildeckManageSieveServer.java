package org.maildeck.assembly.managesieve;

import org.apache.james.managesieve.transcode.ManageSieveProcessor;
import org.apache.james.managesieveserver.netty.ManageSieveServer;
import org.apache.james.managesieveserver.netty.NettyConstants;
import org.apache.james.protocols.netty.AbstractChannelPipelineFactory;
import org.apache.james.protocols.netty.AllButStartTlsLineBasedChannelHandler;
import org.apache.james.protocols.netty.ChannelHandlerFactory;
import org.apache.james.protocols.api.CommandDetectionSession;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * James's ManageSieve listener with requests bounded and gathered by
 * {@link BoundedRequestHandler}, and a line framer that lets STARTTLS work.
 *
 * <p>Why the framer: James's STARTTLS framer looks for the session that switches its
 * command-injection check off under the attribute {@code "session"}, where ManageSieve keeps
 * its response writer under {@code "ResponseWriter"}: it never finds it, so once STARTTLS is
 * framed every later frame (the TLS handshake itself) is refused as an injection, and no client
 * gets past STARTTLS. Here the framer finds the writer, which James tells to stop checking once
 * TLS is on.</p>
 */
final class MaildeckManageSieveServer extends ManageSieveServer {

    private final ManageSieveProcessor processor;
    private final int maxLiteral;
    private final int maxRequest;

    MaildeckManageSieveServer(ManageSieveProcessor processor, int maxLiteral, int maxRequest) {
        super(maxRequest, processor);
        this.processor = processor;
        this.maxLiteral = maxLiteral;
        this.maxRequest = maxRequest;
    }

    @Override
    protected ChannelInboundHandlerAdapter createCoreHandler() {
        return new BoundedRequestHandler(processor, getEncryption(), maxLiteral, maxRequest);
    }

    @Override
    protected ChannelHandlerFactory createFrameHandlerFactory() {
        return pipeline -> new AllButStartTlsLineBasedChannelHandler(pipeline, AbstractChannelPipelineFactory.MAX_LINE_LENGTH, false, "starttls") {
            @Override
            protected CommandDetectionSession retrieveSession(ChannelHandlerContext ctx) {
                return ctx.channel().attr(NettyConstants.RESPONSE_WRITER_ATTRIBUTE_KEY).get();
            }
        };
    }
}
