package org.maildeck.assembly.smtp;

import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.api.ProtocolTransport;
import org.apache.james.protocols.api.handler.ProtocolHandlerChain;
import org.apache.james.protocols.smtp.SMTPConfiguration;
import org.apache.james.protocols.smtp.SMTPProtocol;

/**
 * James's SMTP protocol (also LMTP's) with {@link LineLimitedSession}s, which {@link SmtpLineFramer}
 * needs: James's SMTP and LMTP servers build theirs with plain sessions and keep it to themselves.
 */
class LineLimitedProtocol extends SMTPProtocol {

    private final SMTPConfiguration configuration;

    LineLimitedProtocol(ProtocolHandlerChain chain, SMTPConfiguration configuration) {
        super(chain, configuration);
        this.configuration = configuration;
    }

    @Override
    public ProtocolSession newSession(ProtocolTransport transport) {
        return new LineLimitedSession(configuration, transport);
    }
}
