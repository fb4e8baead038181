package org.maildeck.assembly.pop3;

import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.Set;

import javax.inject.Inject;
import javax.inject.Named;

import org.apache.james.core.Username;
import org.apache.james.mailbox.MailboxManager;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.pop3server.core.PassCmdHandler;
import org.apache.james.pop3server.mailbox.MailboxAdapterFactory;
import org.apache.james.protocols.api.Request;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.pop3.POP3Response;
import org.apache.james.protocols.pop3.POP3Session;
import org.apache.james.protocols.pop3.core.CapaCapability;
import org.maildeck.mailets.auth.FailureDelay;
import org.maildeck.mailets.auth.LoginProtocol;
import org.maildeck.mailets.auth.LoginThrottle;

/**
 * James's POP3 {@code PASS} under the {@link LoginThrottle} that SMTP and IMAP share: from a
 * locked-out address the password is not even checked ({@code -ERR [SYS/TEMP] Too many failed
 * authentication attempts; try again later}); a wrong one is answered, as Dovecot does,
 * {@code -ERR [AUTH] Authentication failed.} after the throttle's doubling delay (a blocking
 * pause, as SMTP's: James runs POP3 commands on worker threads); the failure that locks the
 * address out closes the connection. The codes are RFC 2449/3206's, announced in CAPA.
 */
public class LoginThrottledPassCmdHandler extends PassCmdHandler implements CapaCapability {

    private static final Response LOCKED_OUT = new POP3Response(POP3Response.ERR_RESPONSE,
        "[SYS/TEMP] Too many failed authentication attempts; try again later").immutable();
    private static final Response WRONG_PASSWORD = new POP3Response(POP3Response.ERR_RESPONSE, "[AUTH] Authentication failed.").immutable();
    private static final Set<String> CAPABILITIES = Set.of("RESP-CODES", "AUTH-RESP-CODE");

    private final LoginThrottle throttle;

    @Inject
    public LoginThrottledPassCmdHandler(@Named("mailboxmanager") MailboxManager manager, MailboxAdapterFactory mailboxAdapterFactory,
                                        MetricFactory metricFactory, LoginThrottle throttle) {
        super(manager, mailboxAdapterFactory, metricFactory);
        this.throttle = throttle;
    }

    @Override
    public Response onCommand(POP3Session session, Request request) {
        if (session.getHandlerState() != POP3Session.AUTHENTICATION_USERSET || request.getArgument() == null) {
            // no USER before: James refuses it without a password check
            return super.onCommand(session, request);
        }
        InetSocketAddress client = session.getRemoteAddress();
        Optional<String> login = Optional.ofNullable(session.getUsername()).map(Username::asString);
        if (throttle.refuses(LoginProtocol.POP3, client, login).isPresent()) {
            session.setHandlerState(POP3Session.AUTHENTICATION_READY);
            return LOCKED_OUT;
        }
        Response response = super.onCommand(session, request);
        if (POP3Response.OK_RESPONSE.equals(response.getRetCode())) {
            throttle.succeeded(LoginProtocol.POP3, client, login.orElse(""));
        } else if (response == AUTH_FAILED) {
            return failed(client, login);
        }
        return response;
    }

    private Response failed(InetSocketAddress client, Optional<String> login) {
        LoginThrottle.Failure failure = throttle.failed(LoginProtocol.POP3, client, login);
        if (failure.lockedOut()) {
            POP3Response closing = new POP3Response(POP3Response.ERR_RESPONSE,
                "[SYS/TEMP] Too many failed authentication attempts; closing connection");
            closing.setEndSession(true);
            return closing;
        }
        FailureDelay.pause(failure.delay());
        return WRONG_PASSWORD;
    }

    @Override
    public Set<String> getImplementedCapabilities(POP3Session session) {
        return CAPABILITIES;
    }
}
