package org.maildeck.imap;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

import org.apache.james.core.Username;
import org.apache.james.imap.api.ImapConfiguration;
import org.apache.james.imap.api.ImapMessage;
import org.apache.james.imap.api.ImapSessionState;
import org.apache.james.imap.api.display.HumanReadableText;
import org.apache.james.imap.api.message.request.ImapRequest;
import org.apache.james.imap.api.message.response.ImapResponseMessage;
import org.apache.james.imap.api.message.response.StatusResponse;
import org.apache.james.imap.api.message.response.StatusResponseFactory;
import org.apache.james.imap.api.process.ImapProcessor;
import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.message.request.AuthenticateRequest;
import org.apache.james.imap.message.request.LoginRequest;
import org.maildeck.mailets.auth.LoginProtocol;
import org.maildeck.mailets.auth.LoginThrottle;

import reactor.core.publisher.Mono;

/**
 * Puts IMAP {@code LOGIN} and {@code AUTHENTICATE} under the {@link LoginThrottle} that SMTP and
 * POP3 share, in front of James's processors:
 * <ul>
 *   <li>from a locked-out address, the attempt is answered
 *   {@code NO [UNAVAILABLE] Too many failed authentication attempts; try again later} without
 *   looking at the password (RFC 5530's code for a temporary failure: a client retries later
 *   instead of asking its user for another password);</li>
 *   <li>an attempt from an address with recent failures waits first, as Dovecot's auth_penalty
 *   does (the same doubling delays as SMTP's), without holding a thread: James runs IMAP
 *   commands on a small shared pool of blocking threads;</li>
 *   <li>James's answer tells the outcome: a tagged {@code OK} is a success, its "invalid
 *   login"/"authentication failed" {@code NO}, or the {@code BYE} of its third failure in a
 *   session, a failure. Watching the answer rather than the call also covers an
 *   {@code AUTHENTICATE} whose credentials come on a later line.</li>
 * </ul>
 */
final class LoginThrottledImapProcessor implements ImapProcessor {

    // James 3.8.1 makes no [UNAVAILABLE] code (its extension codes get an X prefix): the code is
    // written as the start of the text, which puts the same bytes on the wire.
    private static final HumanReadableText LOCKED_OUT = new HumanReadableText("org.maildeck.imap.LOCKED_OUT",
        "[UNAVAILABLE] Too many failed authentication attempts; try again later");
    private static final Set<String> FAILURES = Set.of(HumanReadableText.INVALID_LOGIN.getKey(),
        HumanReadableText.AUTHENTICATION_FAILED.getKey());

    private final ImapProcessor james;
    private final LoginThrottle throttle;
    private final StatusResponseFactory responses;

    LoginThrottledImapProcessor(ImapProcessor james, LoginThrottle throttle, StatusResponseFactory responses) {
        this.james = james;
        this.throttle = throttle;
        this.responses = responses;
    }

    @Override
    public Mono<Void> processReactive(ImapMessage message, Responder responder, ImapSession session) {
        if (!isLogin(message) || session.getState() != ImapSessionState.NON_AUTHENTICATED) {
            return james.processReactive(message, responder, session);
        }
        InetSocketAddress client = ImapClientAddress.of(session);
        Optional<String> login = message instanceof LoginRequest loginRequest
            ? Optional.ofNullable(loginRequest.getUserid()).map(Username::asString)
            : Optional.empty();
        Duration penalty = throttle.penalty(client.getAddress());
        Mono<Void> attempt = Mono.defer(() -> attempt(message, responder, session, client, login));
        return penalty.isZero() ? attempt : Mono.delay(penalty).then(attempt);
    }

    /** Checked after the penalty: the lockout may have begun meanwhile, over another connection. */
    private Mono<Void> attempt(ImapMessage message, Responder responder, ImapSession session, InetSocketAddress client,
                               Optional<String> login) {
        ImapRequest request = (ImapRequest) message;
        if (throttle.refuses(LoginProtocol.IMAP, client, login).isPresent()) {
            return Mono.fromRunnable(() -> {
                responder.respond(responses.taggedNo(request.getTag(), null, LOCKED_OUT));
                responder.flush();
            });
        }
        return james.processReactive(message, new OutcomeWatcher(responder, request, session, client, login), session);
    }

    private static boolean isLogin(ImapMessage message) {
        return message instanceof LoginRequest || message instanceof AuthenticateRequest;
    }

    @Override
    public void configure(ImapConfiguration imapConfiguration) {
        james.configure(imapConfiguration);
    }

    /** Passes James's responses on, and reports the login's outcome to the throttle. */
    private final class OutcomeWatcher implements Responder {
        private final Responder responder;
        private final ImapRequest request;
        private final ImapSession session;
        private final InetSocketAddress client;
        private final Optional<String> login;

        OutcomeWatcher(Responder responder, ImapRequest request, ImapSession session, InetSocketAddress client, Optional<String> login) {
            this.responder = responder;
            this.request = request;
            this.session = session;
            this.client = client;
            this.login = login;
        }

        @Override
        public void respond(ImapResponseMessage message) {
            if (message instanceof StatusResponse status) {
                report(status);
            }
            responder.respond(message);
        }

        private void report(StatusResponse status) {
            boolean ours = request.getTag().equals(status.getTag());
            if (ours && status.getServerResponseType() == StatusResponse.Type.OK) {
                throttle.succeeded(LoginProtocol.IMAP, client, Optional.ofNullable(session.getUserName())
                    .map(Username::asString).or(() -> login).orElse(""));
            } else if ((ours && status.getServerResponseType() == StatusResponse.Type.NO && FAILURES.contains(status.getTextKey().getKey()))
                    || (status.getTag() == null && status.getServerResponseType() == StatusResponse.Type.BYE
                        && HumanReadableText.TOO_MANY_FAILURES.getKey().equals(status.getTextKey().getKey()))) {
                throttle.failed(LoginProtocol.IMAP, client, login);
            }
        }

        @Override
        public void flush() {
            responder.flush();
        }
    }
}
