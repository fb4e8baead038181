package org.maildeck.mailets.lmtp;

import java.util.List;

import org.apache.james.lmtpserver.MailetContainerCmdHandlerLoader;
import org.apache.james.lmtpserver.NoopJamesMessageHook;
import org.apache.james.protocols.api.handler.CommandDispatcher;
import org.apache.james.protocols.api.handler.CommandHandlerResultLogger;
import org.apache.james.protocols.lib.handler.HandlersPackage;
import org.apache.james.protocols.lmtp.core.LhloCmdHandler;
import org.apache.james.protocols.lmtp.core.WelcomeMessageHandler;
import org.apache.james.protocols.smtp.core.ExpnCmdHandler;
import org.apache.james.protocols.smtp.core.NoopCmdHandler;
import org.apache.james.protocols.smtp.core.PostmasterAbuseRcptHook;
import org.apache.james.protocols.smtp.core.QuitCmdHandler;
import org.apache.james.protocols.smtp.core.ReceivedDataLineFilter;
import org.apache.james.protocols.smtp.core.RsetCmdHandler;
import org.apache.james.protocols.smtp.core.VrfyCmdHandler;
import org.apache.james.protocols.smtp.core.esmtp.MailSizeEsmtpExtension;
import org.apache.james.protocols.smtp.core.log.HookResultLogger;
import org.apache.james.smtpserver.AuthRequiredToRelayRcptHook;
import org.apache.james.smtpserver.JamesDataCmdHandler;
import org.apache.james.smtpserver.JamesMailCmdHandler;
import org.apache.james.smtpserver.fastfail.ValidRcptHandler;
import org.maildeck.mailets.smtpd.NormalisingRcptCmdHandler;
import org.maildeck.mailets.smtpd.OverlongDataLine;
import org.maildeck.mailets.smtpd.ReplyLineLimit;
import org.maildeck.mailets.smtpd.UnrecognisedCommand;

/**
 * The LMTP command set ({@code coreHandlersPackage} in lmtpserver.xml): James's
 * {@link MailetContainerCmdHandlerLoader} (mail handed to the mailet container), with the answers
 * and limits Maildeck's SMTP listeners give: {@link OverlongDataLine} (a message with a line over
 * the listener's {@code dataLineLimit} is refused, to every recipient, by
 * {@link HookedMailetContainerHandler}), {@link NormalisingRcptCmdHandler} (its
 * {@code recipientLimit}), {@link UnrecognisedCommand} (502, the command not echoed) and
 * {@link ReplyLineLimit} (no reply line over 512 octets).
 */
public class MaildeckLmtpHandlers implements HandlersPackage {

    private static final List<String> HANDLERS = List.of(
        WelcomeMessageHandler.class.getName(),
        CommandDispatcher.class.getName(),
        JamesDataCmdHandler.class.getName(),
        ExpnCmdHandler.class.getName(),
        LhloCmdHandler.class.getName(),
        JamesMailCmdHandler.class.getName(),
        NoopCmdHandler.class.getName(),
        QuitCmdHandler.class.getName(),
        NormalisingRcptCmdHandler.class.getName(),
        ValidRcptHandler.class.getName(),
        RsetCmdHandler.class.getName(),
        VrfyCmdHandler.class.getName(),
        MailSizeEsmtpExtension.class.getName(),
        AuthRequiredToRelayRcptHook.class.getName(),
        PostmasterAbuseRcptHook.class.getName(),
        OverlongDataLine.class.getName(),
        ReceivedDataLineFilter.class.getName(),
        HookedMailetContainerHandler.class.getName(),
        CommandHandlerResultLogger.class.getName(),
        NoopJamesMessageHook.class.getName(),
        UnrecognisedCommand.class.getName(),
        HookResultLogger.class.getName(),
        ReplyLineLimit.class.getName());

    @Override
    public List<String> getHandlers() {
        return HANDLERS;
    }
}
