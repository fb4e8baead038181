package org.apache.james.protocols.netty;

import static java.nio.charset.StandardCharsets.US_ASCII;

import org.apache.james.imap.api.ImapSessionState;
import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imapserver.netty.NettyConstants;
import org.apache.james.protocols.pop3.POP3Session;
import org.apache.james.protocols.smtp.SMTPSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;

/**
 * Closing a connection for inactivity (Maildeck's own class): the protocol's last line, as postfix
 * and dovecot write it, then the close, and a mail-log line saying why. James closed such
 * connections without a word, and a client could not tell a timeout from a network failure.
 */
final class InactivityDisconnect {

    private static final Logger MAIL_LOG = LoggerFactory.getLogger("maildeck.mail");

    private InactivityDisconnect() {
    }

    static void close(Channel channel, String why) {
        MAIL_LOG.info("timeout from {} to {} ({}); connection closed",
            ConnectionLimitWarning.client(channel), ConnectionLimitWarning.address(channel.localAddress()), why);
        String line = lastLine(channel);
        if (line == null || !channel.isActive()) {
            channel.close();
        } else {
            channel.writeAndFlush(Unpooled.copiedBuffer(line + "\r\n", US_ASCII)).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /**
     * Whether an idle connection may be closed to make room for a new client: not an IMAP session
     * that has logged in, which idles by design (IDLE, RFC 2177, for up to 29 minutes); dovecot too
     * closes only connections that have not logged in when its login processes are full.
     */
    static boolean mayMakeRoom(Channel channel) {
        ImapSession imap = channel.attr(NettyConstants.IMAP_SESSION_ATTRIBUTE_KEY).get();
        return imap == null || imap.getState() == ImapSessionState.NON_AUTHENTICATED;
    }

    /** postfix smtpd's 421 4.4.2, dovecot's IMAP BYE and POP3 -ERR; null when the protocol is unknown. */
    private static String lastLine(Channel channel) {
        if (channel.hasAttr(NettyConstants.IMAP_SESSION_ATTRIBUTE_KEY)) {
            return "* BYE Disconnected for inactivity.";
        }
        Object session = channel.attr(BasicChannelInboundHandler.SESSION_ATTRIBUTE_KEY).get();
        if (session instanceof SMTPSession smtp) {
            return "421 4.4.2 " + smtp.getConfiguration().getHelloName() + " Error: timeout exceeded";
        }
        if (session instanceof POP3Session) {
            return "-ERR Disconnected for inactivity.";
        }
        return null;
    }
}
