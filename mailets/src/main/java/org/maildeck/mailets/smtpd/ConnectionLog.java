package org.maildeck.mailets.smtpd;

import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.api.handler.CommandHandler;
import org.apache.james.protocols.api.handler.ConnectHandler;
import org.apache.james.protocols.api.handler.DisconnectHandler;
import org.apache.james.protocols.api.handler.ProtocolHandler;
import org.apache.james.protocols.api.handler.ProtocolHandlerResultHandler;
import org.maildeck.mailets.MailLog;

/**
 * The mail-log lines that frame an SMTP session, as Postfix's smtpd writes them:
 * <pre>
 * connect from unknown[192.0.2.7]
 * disconnect from unknown[192.0.2.7] ehlo=1 mail=1 rcpt=1 data=1 quit=1 commands=5
 * </pre>
 * The connect line is written with the greeting (the reply of the first {@link ConnectHandler}):
 * a connect handler of its own would have to answer something, since James's JMX statistics
 * cannot take a connect handler without a reply. The counts come from the replies to each
 * command (see {@link CommandCounts}).
 */
public class ConnectionLog implements ProtocolHandlerResultHandler<Response, ProtocolSession>, DisconnectHandler<ProtocolSession> {

    private static final ProtocolSession.AttachmentKey<CommandCounts> COUNTS =
        ProtocolSession.AttachmentKey.of("maildeck.commandCounts", CommandCounts.class);

    @Override
    public Response onResponse(ProtocolSession session, Response response, long executionTime, ProtocolHandler handler) {
        if (handler instanceof ConnectHandler<?> && session.getAttachment(COUNTS, ProtocolSession.State.Connection).isEmpty()) {
            session.setAttachment(COUNTS, new CommandCounts(), ProtocolSession.State.Connection);
            MailLog.LOGGER.info("connect from {}", ClientName.of(session));
        } else if (handler instanceof CommandHandler<?> command && response != null) {
            session.getAttachment(COUNTS, ProtocolSession.State.Connection).ifPresent(counts ->
                counts.count(command.getImplCommands().iterator().next(), isPositive(response)));
        }
        return response;
    }

    @Override
    public void onDisconnect(ProtocolSession session) {
        MailLog.LOGGER.info("disconnect from {} {}", ClientName.of(session),
            session.getAttachment(COUNTS, ProtocolSession.State.Connection).map(CommandCounts::toString).orElse("commands=0"));
    }

    /** 2xx, or 3xx for commands that continue (DATA, AUTH). */
    private static boolean isPositive(Response response) {
        char first = response.getRetCode().isEmpty() ? '5' : response.getRetCode().charAt(0);
        return first == '2' || first == '3';
    }
}
