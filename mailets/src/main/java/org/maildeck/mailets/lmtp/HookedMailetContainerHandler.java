package org.maildeck.mailets.lmtp;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

import javax.inject.Inject;

import org.apache.james.core.MailAddress;
import org.apache.james.lmtpserver.MailetContainerHandler;
import org.apache.james.mailetcontainer.api.MailProcessor;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.api.handler.WiringException;
import org.apache.james.protocols.lmtp.LMTPMultiResponse;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.core.AbstractHookableCmdHandler;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.apache.james.protocols.smtp.hook.MessageHook;
import org.apache.james.server.core.MimeMessageInputStreamSource;
import org.apache.mailet.Mail;

/**
 * James's LMTP hand-over to the mailet container, which first runs the {@link MessageHook}s of
 * the command set, as SMTP's end of DATA does (James's LMTP skips them): a message a hook refuses,
 * such as one with a line over the listener's limit ({@code OverlongDataLine}), is not delivered,
 * and every recipient gets the hook's reply (RFC 2033 4.2: one reply per recipient after DATA).
 * <p>
 * The transaction ends with the replies to DATA, as in SMTP: James's LMTP handler never resets it
 * (SMTP's does, in DataLineJamesMessageHookHandler), so a next MAIL without RSET would meet
 * {@code 503 Sender already specified}, and a mark such as an overlong line would stick to the
 * next message.
 */
public class HookedMailetContainerHandler extends MailetContainerHandler {

    private List<MessageHook> messageHooks = List.of();

    @Inject
    public HookedMailetContainerHandler(MailProcessor mailProcessor) {
        super(mailProcessor);
    }

    @SuppressWarnings("unchecked")
    @Override
    public void wireExtensions(Class<?> interfaceName, List<?> extension) throws WiringException {
        super.wireExtensions(interfaceName, extension);
        if (MessageHook.class.equals(interfaceName)) {
            messageHooks = List.copyOf((List<MessageHook>) extension);
        }
    }

    @Override
    protected Response processExtensions(SMTPSession session, Mail mail, MimeMessageInputStreamSource mmiss) {
        try {
            return refusal(session, mail).orElseGet(() -> super.processExtensions(session, mail, mmiss));
        } finally {
            session.resetState();
        }
    }

    private Optional<Response> refusal(SMTPSession session, Mail mail) {
        MailToMailEnvelopeWrapper envelope = new MailToMailEnvelopeWrapper(mail, null);
        for (MessageHook hook : messageHooks) {
            HookResult result = hook.onMessage(session, envelope);
            if (refuses(result)) {
                Response reply = AbstractHookableCmdHandler.calcDefaultSMTPResponse(result);
                Collection<MailAddress> recipients = mail.getRecipients();
                return Optional.of(LMTPMultiResponse.of(Collections.nCopies(recipients.size(), reply)));
            }
        }
        return Optional.empty();
    }

    private static boolean refuses(HookResult result) {
        HookReturnCode.Action action = result.getResult().getAction();
        return action == HookReturnCode.Action.DENY || action == HookReturnCode.Action.DENYSOFT;
    }
}
