package org.maildeck.milter;

import java.util.List;

import org.apache.mina.core.service.IoHandlerAdapter;
import org.apache.mina.core.session.IdleStatus;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.codec.ProtocolDecoderException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects MINA's events to one {@link MilterSession} per connection: packets in, replies out;
 * a broken packet, an unknown command, a stall in the middle of a packet or a connection idle
 * for too long closes the connection with one log line, and the others carry on.
 */
final class MilterHandler extends IoHandlerAdapter {

    private static final Logger LOGGER = LoggerFactory.getLogger(MilterHandler.class);
    private static final String SESSION = MilterHandler.class.getName() + ".session";

    private final EndOfMessage decider;
    private final MilterSettings settings;

    MilterHandler(EndOfMessage decider, MilterSettings settings) {
        this.decider = decider;
        this.settings = settings;
    }

    @Override
    public void sessionCreated(IoSession session) {
        long open = session.getService().getManagedSessionCount();
        if (open > settings.maxConnections()) {
            LOGGER.warn("milter: refusing connection from {}: {} connections open, at most {} (max.connections)",
                session.getRemoteAddress(), open - 1, settings.maxConnections());
            session.closeNow();
            return;
        }
        session.setAttribute(SESSION, new MilterSession(decider, settings.maxMessageSize()));
    }

    @Override
    public void messageReceived(IoSession session, Object message) throws Exception {
        MilterSession milter = (MilterSession) session.getAttribute(SESSION);
        if (milter == null || session.isClosing()) {
            return;
        }
        List<MilterPacket> replies = milter.handle((MilterPacket) message);
        replies.forEach(session::write);
        if (milter.quit()) {
            session.closeOnFlush();
        }
    }

    @Override
    public void sessionIdle(IoSession session, IdleStatus status) {
        if (session.containsAttribute(MilterPacketDecoder.PARTIAL)) {
            LOGGER.warn("milter: closing connection from {}: no more of a packet for {} s", session.getRemoteAddress(),
                settings.packetTimeout().toSeconds());
            session.closeNow();
            return;
        }
        long idleFor = session.getIdleCount(status) * settings.packetTimeout().toSeconds();
        if (idleFor >= settings.idleTimeout().toSeconds()) {
            LOGGER.info("milter: closing connection from {}: idle for {} s", session.getRemoteAddress(), idleFor);
            session.closeNow();
        }
    }

    @Override
    public void exceptionCaught(IoSession session, Throwable cause) {
        Throwable reason = cause instanceof ProtocolDecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (reason instanceof MalformedPacketException || cause instanceof ProtocolDecoderException) {
            LOGGER.warn("milter: closing connection from {}: {}", session.getRemoteAddress(), firstLine(reason.getMessage()));
        } else {
            LOGGER.error("milter: closing connection from {}", session.getRemoteAddress(), cause);
        }
        session.closeNow();
    }

    @Override
    public void sessionClosed(IoSession session) {
        MilterSession milter = (MilterSession) session.removeAttribute(SESSION);
        if (milter != null) {
            milter.close();
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "broken packet";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
