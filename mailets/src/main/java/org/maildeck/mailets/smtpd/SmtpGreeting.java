package org.maildeck.mailets.smtpd;

import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.api.handler.ConnectHandler;
import org.apache.james.protocols.smtp.SMTPResponse;
import org.apache.james.protocols.smtp.SMTPRetCode;
import org.apache.james.protocols.smtp.SMTPSession;

/**
 * The greeting, as postfix's default {@code smtpd_banner}: {@code 220 mail.example.com ESMTP Maildeck},
 * with the listener's {@code <helloName>}. A listener's {@code <smtpGreeting>} replaces the text
 * after the code. (James's own greeting reads {@code 220 localhost JAMES SMTP Server Server
 * (JAMES SMTP Server ) ready}.)
 */
public class SmtpGreeting implements ConnectHandler<SMTPSession> {

    static final String SOFTWARE = "ESMTP Maildeck";

    @Override
    public Response onConnect(SMTPSession session) {
        String configured = session.getConfiguration().getGreeting();
        return new SMTPResponse(SMTPRetCode.SERVICE_READY,
            configured != null ? configured : session.getConfiguration().getHelloName() + " " + SOFTWARE);
    }
}
