package org.maildeck.mailets.smtpd;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

import javax.inject.Inject;

import org.apache.commons.configuration2.Configuration;
import org.apache.james.core.Username;
import org.apache.james.protocols.api.OidcSASLConfiguration;
import org.apache.james.protocols.api.Request;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.api.handler.CommandHandler;
import org.apache.james.protocols.smtp.SMTPResponse;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.AuthHook;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.apache.james.user.api.UsersRepository;
import org.apache.james.user.api.UsersRepositoryException;
import org.maildeck.mailets.MailLog;
import org.maildeck.mailets.auth.FailureDelay;
import org.maildeck.mailets.auth.LoginProtocol;
import org.maildeck.mailets.auth.LoginThrottle;

/**
 * SMTP AUTH (PLAIN and LOGIN) against the users repository, with the rules an admin expects
 * from Postfix + Cyrus SASL:
 * <ul>
 *   <li><b>Only over TLS</b> ({@code smtpd_tls_auth_only}): the AUTH command is answered
 *   {@code 538 5.7.11} before any password is sent unless the session is encrypted (STARTTLS
 *   or an implicit-TLS listener). James only hides AUTH from EHLO before STARTTLS but accepts
 *   the command, so this check runs first. {@code plaintextFromTrustedNetworks} lets clients of
 *   the trusted networks log in without TLS.</li>
 *   <li><b>Throttled</b> per client address across all listeners and protocols by the shared
 *   {@link LoginThrottle} (configured once, in {@code auththrottle.properties}): each failure is
 *   answered after a delay that doubles; the failure that locks the address out closes the
 *   connection with {@code 421 4.7.0}, and while it is locked out that address gets
 *   {@code 454 4.7.0} to AUTH. Failures over IMAP and POP3 count toward the same lockout.</li>
 *   <li>Every failure and lockout is a {@code warning:} line in the mail log, and counted.</li>
 * </ul>
 * It replaces James's {@code UsersRepositoryAuthHook} (see {@link MaildeckSmtpHandlers}); a
 * listener without it refuses every AUTH. Passwords are checked by the users repository, which
 * stores them hashed (PBKDF2, see usersrepository.xml). The throttle's keys
 * ({@code failureDelay}, {@code maxFailureDelay}, {@code maxFailures}, {@code lockout}) are
 * still read from an older smtpserver.xml, by the throttle's own configuration, not here.
 */
public class SmtpAuthPolicy implements CommandHandler<SMTPSession>, AuthHook {

    private static final String LOCKED_OUT = "4.7.0 Too many failed authentication attempts; try again later";

    private final UsersRepository users;
    private final LoginThrottle throttle;
    private boolean plaintextFromTrustedNetworks;

    @Inject
    public SmtpAuthPolicy(UsersRepository users, LoginThrottle throttle) {
        this.users = users;
        this.throttle = throttle;
    }

    @Override
    public void init(Configuration config) {
        plaintextFromTrustedNetworks = config.getBoolean("plaintextFromTrustedNetworks", false);
    }

    @Override
    public Collection<String> getImplCommands() {
        return List.of("AUTH");
    }

    /** Runs before James's AUTH command handler: refuses before the client sends a password. */
    @Override
    public Response onCommand(SMTPSession session, Request request) {
        if (session.getUsername() != null) {
            return null;
        }
        if (!encryptedOrExempt(session)) {
            return SessionReject.permanent("538", "5.7.11 Encryption required for requested authentication mechanism")
                .logResponse(session, "AUTH", null, Optional.empty());
        }
        if (throttle.refuses(LoginProtocol.SMTP, session.getRemoteAddress(), Optional.empty()).isPresent()) {
            // The throttle logged the refusal, in the format all protocols share.
            return new SMTPResponse("454", LOCKED_OUT);
        }
        return null;
    }

    @Override
    public HookResult doAuth(SMTPSession session, Username username, String password) {
        if (!encryptedOrExempt(session)) {
            return SessionReject.permanent("538", "5.7.11 Encryption required for requested authentication mechanism").result();
        }
        // Checked again: the lockout may have begun, over another connection or protocol,
        // while this client was sending its credentials.
        if (throttle.refuses(LoginProtocol.SMTP, session.getRemoteAddress(), Optional.of(username.asString())).isPresent()) {
            return SessionReject.temporary("454", LOCKED_OUT).result();
        }
        try {
            if (users.test(username, password)) {
                session.setUsername(username);
                session.setRelayingAllowed(true);
                throttle.succeeded(LoginProtocol.SMTP, session.getRemoteAddress(), username.asString());
                return HookResult.builder()
                    .hookReturnCode(HookReturnCode.ok())
                    .smtpReturnCode("235")
                    .smtpDescription("2.7.0 Authentication successful")
                    .build();
            }
        } catch (UsersRepositoryException e) {
            MailLog.LOGGER.warn("warning: {}: SASL authentication problem: {}, sasl_username={}",
                ClientName.of(session), e.getMessage(), username.asString());
            return SessionReject.temporary("454", "4.7.0 Temporary authentication failure").result();
        }
        return failed(session, username);
    }

    /** OAUTHBEARER/XOAUTH2 are not offered (no {@code <oidc>} in smtpserver.xml). */
    @Override
    public HookResult doSasl(SMTPSession session, OidcSASLConfiguration configuration, String initialResponse) {
        return HookResult.DECLINED;
    }

    private HookResult failed(SMTPSession session, Username username) {
        LoginThrottle.Failure failure = throttle.failed(LoginProtocol.SMTP, session.getRemoteAddress(), Optional.of(username.asString()));
        if (failure.lockedOut()) {
            return SessionReject.temporary("421", "4.7.0 Too many failed authentication attempts; closing connection")
                .thenDisconnect().result();
        }
        FailureDelay.pause(failure.delay());
        return SessionReject.permanent("535", "5.7.8 Authentication credentials invalid").result();
    }

    private boolean encryptedOrExempt(SMTPSession session) {
        return session.isTLSStarted() || (plaintextFromTrustedNetworks && session.isRelayingAllowed());
    }
}
