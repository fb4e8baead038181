package org.maildeck.mailets.smtpd;

import java.util.Optional;

import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.smtp.SMTPResponse;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.maildeck.mailets.MailLog;

/**
 * A refusal in the SMTP session: the reply for the client and its mail-log line, in Postfix's
 * words so existing habits ({@code grep reject: mail.log}) keep working:
 * <pre>NOQUEUE: reject: RCPT from unknown[192.0.2.7]: 554 5.7.1 &lt;bob@remote.example&gt;: Relay access denied; from=&lt;eve@elsewhere.example&gt; to=&lt;bob@remote.example&gt; proto=ESMTP helo=&lt;client.example&gt;</pre>
 */
public final class SessionReject {

    private final String code;
    private final String text;
    private final boolean temporary;
    private boolean disconnect;

    private SessionReject(String code, String text, boolean temporary) {
        this.code = code;
        this.text = text;
        this.temporary = temporary;
    }

    /** {@code text} starts with the enhanced status code, e.g. {@code "5.7.1 <x>: Relay access denied"}. */
    public static SessionReject permanent(String code, String text) {
        return new SessionReject(code, text, false);
    }

    public static SessionReject temporary(String code, String text) {
        return new SessionReject(code, text, true);
    }

    /** The domain list or users could not be read: the client should try again later. */
    static SessionReject lookupFailure(MailAddress address) {
        return temporary("451", "4.3.0 <" + address.asString() + ">: Temporary lookup failure");
    }

    /** Closes the connection after the reply (for 421). */
    SessionReject thenDisconnect() {
        disconnect = true;
        return this;
    }

    public String reply() {
        return code + " " + text;
    }

    /** Logs the refusal of {@code command} and returns the hook result that sends it. */
    public HookResult log(SMTPSession session, String command, MaybeSender sender, Optional<MailAddress> recipient) {
        logLine(session, command, sender, recipient.map(MailAddress::asString));
        return result();
    }

    /** Logs the refusal of {@code command} and returns it as a reply, for command handlers. */
    Response logResponse(SMTPSession session, String command, MaybeSender sender, Optional<String> recipient) {
        logLine(session, command, sender, recipient);
        return response();
    }

    /** The refusal as a reply, without a mail-log line (for repeats already logged once). */
    Response response() {
        SMTPResponse response = new SMTPResponse(code, text);
        response.setEndSession(disconnect);
        return response;
    }

    private void logLine(SMTPSession session, String command, MaybeSender sender, Optional<String> recipient) {
        StringBuilder line = new StringBuilder("NOQUEUE: reject: ")
            .append(command).append(" from ").append(ClientName.of(session)).append(": ").append(reply());
        line.append(';');
        if (sender != null) {
            line.append(" from=<").append(sender.asString("")).append('>');
        }
        recipient.ifPresent(rcpt -> line.append(" to=<").append(rcpt).append('>'));
        line.append(" proto=").append(session.getAttachment(SMTPSession.CURRENT_HELO_MODE, ProtocolSession.State.Connection)
            .map(mode -> mode.equalsIgnoreCase("EHLO") ? "ESMTP" : "SMTP").orElse("SMTP"));
        session.getAttachment(SMTPSession.CURRENT_HELO_NAME, ProtocolSession.State.Connection)
            .ifPresent(helo -> line.append(" helo=<").append(helo).append('>'));
        MailLog.LOGGER.info("{}", line);
    }

    HookResult result() {
        HookReturnCode.Action action = temporary ? HookReturnCode.Action.DENYSOFT : HookReturnCode.Action.DENY;
        return HookResult.builder()
            .hookReturnCode(disconnect ? HookReturnCode.disconnected(action) : HookReturnCode.connected(action))
            .smtpReturnCode(code)
            .smtpDescription(text)
            .build();
    }
}
