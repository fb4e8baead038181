package org.maildeck.assembly.managesieve;

import org.apache.james.managesieve.transcode.ManageSieveProcessor;
import org.apache.james.managesieveserver.netty.ManageSieveServer;

import io.netty.channel.ChannelInboundHandlerAdapter;

/** James's ManageSieve listener with requests bounded and gathered by {@link BoundedRequestHandler}. */
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
}
