package org.maildeck.mailets.smtpd;

import javax.inject.Inject;

import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.smtp.SMTPResponse;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.core.UnknownCmdHandler;

/**
 * Answers a command the server does not know as Postfix does,
 * {@code 502 5.5.2 Error: command not recognized}, instead of James's
 * {@code 500 5.5.1 Command <the whole line> unrecognized.}: the client's bytes are not sent back
 * (a line of up to {@code commandLineLimit} bytes would make a reply line longer than RFC 5321's
 * 512), and 502 is RFC 5321's code for a command that is not implemented.
 */
public class UnrecognisedCommand extends UnknownCmdHandler {

    private static final Response NOT_RECOGNIZED = new SMTPResponse("502", "5.5.2 Error: command not recognized").immutable();

    @Inject
    public UnrecognisedCommand(MetricFactory metricFactory) {
        super(metricFactory);
    }

    @Override
    protected Response doCoreCmd(SMTPSession session, String command, String parameters) {
        return NOT_RECOGNIZED;
    }
}
