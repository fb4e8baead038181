package org.maildeck.mailets.smtpd;

import java.util.List;

import org.apache.james.protocols.api.handler.CommandDispatcher;
import org.apache.james.protocols.lib.handler.HandlersPackage;
import org.apache.james.protocols.smtp.core.ExpnCmdHandler;
import org.apache.james.protocols.smtp.core.HeloCmdHandler;
import org.apache.james.protocols.smtp.core.HelpCmdHandler;
import org.apache.james.protocols.smtp.core.NoopCmdHandler;
import org.apache.james.protocols.smtp.core.PostmasterAbuseRcptHook;
import org.apache.james.protocols.smtp.core.QuitCmdHandler;
import org.apache.james.protocols.smtp.core.ReceivedDataLineFilter;
import org.apache.james.protocols.smtp.core.RsetCmdHandler;
import org.apache.james.protocols.smtp.core.VrfyCmdHandler;
import org.apache.james.protocols.smtp.core.esmtp.AuthCmdHandler;
import org.apache.james.protocols.smtp.core.esmtp.EhloCmdHandler;
import org.apache.james.protocols.smtp.core.esmtp.MailSizeEsmtpExtension;
import org.apache.james.protocols.smtp.core.esmtp.StartTlsCmdHandler;
import org.apache.james.protocols.smtp.core.log.HookResultLogger;
import org.apache.james.smtpserver.AddDefaultAttributesMessageHook;
import org.apache.james.smtpserver.DataLineJamesMessageHookHandler;
import org.apache.james.smtpserver.JamesDataCmdHandler;
import org.apache.james.smtpserver.JamesMailCmdHandler;
import org.apache.james.protocols.api.handler.CommandHandlerResultLogger;

/**
 * The SMTP command set every Maildeck listener gets ({@code coreHandlersPackage} in
 * smtpserver.xml): James's {@code CoreCmdHandlerLoader} without its relay, sender and password
 * checks, which Maildeck replaces with configurable handlers ({@link RelayPolicy},
 * {@link SenderOwnership}, {@link SmtpAuthPolicy}), and with {@link RelayBackstop} last, so a
 * listener whose configuration lacks a {@code RelayPolicy} relays for nobody. {@link ConnectionLog}
 * and {@link SpoolAndLog} (James's {@code SendMailHandler} plus the acceptance line) write the
 * session's mail-log lines; {@link SmtpGreeting} greets as postfix does. Postfix's answers and
 * limits replace James's where they differ: {@link UnrecognisedCommand} (502, the command not
 * echoed), {@link OverlongDataLine} (a message with a line over the listener's limit is refused,
 * not delivered without it), {@link RecipientLimit} (in {@link NormalisingRcptCmdHandler}) and
 * {@link ReplyLineLimit} (no reply line over 512 octets).
 */
public class MaildeckSmtpHandlers implements HandlersPackage {

    private static final List<String> HANDLERS = List.of(
        SmtpGreeting.class.getName(),
        CommandDispatcher.class.getName(),
        AuthCmdHandler.class.getName(),
        JamesDataCmdHandler.class.getName(),
        EhloCmdHandler.class.getName(),
        ExpnCmdHandler.class.getName(),
        HeloCmdHandler.class.getName(),
        HelpCmdHandler.class.getName(),
        JamesMailCmdHandler.class.getName(),
        NoopCmdHandler.class.getName(),
        QuitCmdHandler.class.getName(),
        NormalisingRcptCmdHandler.class.getName(),
        RsetCmdHandler.class.getName(),
        VrfyCmdHandler.class.getName(),
        MailSizeEsmtpExtension.class.getName(),
        OverlongDataLine.class.getName(),
        PostmasterAbuseRcptHook.class.getName(),
        RelayBackstop.class.getName(),
        ReceivedDataLineFilter.class.getName(),
        DataLineJamesMessageHookHandler.class.getName(),
        StartTlsCmdHandler.class.getName(),
        AddDefaultAttributesMessageHook.class.getName(),
        SpoolAndLog.class.getName(),
        UnrecognisedCommand.class.getName(),
        CommandHandlerResultLogger.class.getName(),
        ConnectionLog.class.getName(),
        HookResultLogger.class.getName(),
        ReplyLineLimit.class.getName());

    @Override
    public List<String> getHandlers() {
        return HANDLERS;
    }
}
