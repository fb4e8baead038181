package org.maildeck.assembly.smtp;

import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.api.ProtocolTransport;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.api.handler.LineHandler;
import org.apache.james.protocols.netty.BasicChannelInboundHandler;
import org.apache.james.protocols.smtp.SMTPConfiguration;
import org.apache.james.protocols.smtp.SMTPResponse;
import org.apache.james.smtpserver.ExtendedSMTPSession;
import org.maildeck.assembly.tcp.QuickAckAfterFlush;
import org.maildeck.mailets.smtpd.OverlongDataLine;

/**
 * James's SMTP (and LMTP) session, which tells {@link SmtpLineFramer} whether the client is sending a message,
 * and answers a line the framer dropped as too long: a command line with Postfix's
 * {@code 500 5.5.2 Error: line too long} right away, a line of a message not at all until the end
 * of DATA, where {@link OverlongDataLine} refuses the message (one reply per command, so the
 * client and the server stay in step).
 */
class LineLimitedSession extends ExtendedSMTPSession {

    /** The ACKs of a message's lines go out at once; the commands' are carried by their replies. */
    static final QuickAckAfterFlush QUICK_ACK_WHILE_RECEIVING = QuickAckAfterFlush.when(channel ->
        channel.attr(BasicChannelInboundHandler.SESSION_ATTRIBUTE_KEY).get() instanceof LineLimitedSession session
            && session.receivingMessage());

    private static final Response COMMAND_LINE_TOO_LONG = new SMTPResponse("500", "5.5.2 Error: line too long").immutable();

    // Read by the framer, which runs on another thread than the commands.
    private volatile boolean receivingMessage;

    LineLimitedSession(SMTPConfiguration configuration, ProtocolTransport transport) {
        super(configuration, transport);
    }

    /** True between the 354 to DATA and the end of the message. */
    boolean receivingMessage() {
        return receivingMessage;
    }

    // DATA (James's JamesDataCmdHandler) opens the message's store, then pushes the line handler
    // that fills it; AUTH pushes one too, with no message open.
    @Override
    public <T extends ProtocolSession> void pushLineHandler(LineHandler<T> overrideCommandHandler) {
        receivingMessage = getMimeMessageWriter() != null;
        super.pushLineHandler(overrideCommandHandler);
    }

    @Override
    public void popLineHandler() {
        receivingMessage = false;
        super.popLineHandler();
    }

    @Override
    public Response newLineTooLongResponse() {
        if (receivingMessage) {
            OverlongDataLine.mark(this);
            return null;
        }
        return COMMAND_LINE_TOO_LONG;
    }
}
