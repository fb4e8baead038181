package org.maildeck.mailets.smtp;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import javax.inject.Inject;

import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.core.Username;
import org.apache.james.protocols.api.OidcSASLConfiguration;
import org.apache.james.protocols.api.Request;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.api.handler.CommandHandler;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.AuthHook;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.apache.james.user.api.UsersRepository;
import org.apache.james.user.api.UsersRepositoryException;
import org.apache.james.util.DurationParser;
import org.maildeck.mailets.MailLog;

/**
 * SMTP AUTH (PLAIN and LOGIN) against the users repository, with the rules an admin expects
 * from Postfix + Cyrus SASL:
 * <ul>
 *   <li><b>Only over TLS</b> ({@code smtpd_tls_auth_only}): the AUTH command is answered
 *   {@code 538 5.7.11} before any password is sent unless the session is encrypted (STARTTLS
 *   or an implicit-TLS listener). James only hides AUTH from EHLO before STARTTLS but accepts
 *   the command, so this check runs first. {@code plaintextFromTrustedNetworks} lets clients of
 *   the trusted networks log in without TLS.</li>
 *   <li><b>Throttled</b> per client address across all listeners: each failure is answered
 *   after a delay that doubles ({@code failureDelay}, at most {@code maxFailureDelay}); the
 *   {@code maxFailures}-th failure within {@code lockout} closes the connection with
 *   {@code 421 4.7.0}, and for {@code lockout} that address gets {@code 454 4.7.0} to AUTH.</li>
 *   <li>Every failure and lockout is a {@code warning:} line in the mail log, and counted
 *   ({@link AuthFailures}).</li>
 * </ul>
 * It replaces James's {@code UsersRepositoryAuthHook} (see {@link MaildeckSmtpHandlers}); a
 * listener without it refuses every AUTH. Passwords are checked by the users repository, which
 * stores them hashed (PBKDF2, see usersrepository.xml).
 */
public class SmtpAuthPolicy implements CommandHandler<SMTPSession>, AuthHook {

    private final UsersRepository users;
    private final AuthFailures failures;
    private boolean plaintextFromTrustedNetworks;
    private Duration failureDelay = Duration.ofSeconds(1);
    private Duration maxFailureDelay = Duration.ofSeconds(8);
    private int maxFailures = 5;
    private Duration lockout = Duration.ofMinutes(10);

    @Inject
    public SmtpAuthPolicy(UsersRepository users, AuthFailures failures) {
        this.users = users;
        this.failures = failures;
    }

    @Override
    public void init(Configuration config) throws ConfigurationException {
        plaintextFromTrustedNetworks = config.getBoolean("plaintextFromTrustedNetworks", false);
        failureDelay = duration(config, "failureDelay", failureDelay);
        maxFailureDelay = duration(config, "maxFailureDelay", maxFailureDelay);
        maxFailures = config.getInt("maxFailures", maxFailures);
        lockout = duration(config, "lockout", lockout);
        if (maxFailures < 1) {
            throw new ConfigurationException("SmtpAuthPolicy <maxFailures> must be at least 1");
        }
    }

    private static Duration duration(Configuration config, String key, Duration fallback) throws ConfigurationException {
        String value = config.getString(key, null);
        if (value == null) {
            return fallback;
        }
        try {
            return DurationParser.parse(value.trim(), ChronoUnit.SECONDS);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("SmtpAuthPolicy <" + key + ">: not a duration: " + value, e);
        }
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
        Optional<Instant> lockedUntil = failures.lockedUntil(clientAddress(session));
        if (lockedUntil.isPresent()) {
            return SessionReject.temporary("454", "4.7.0 Too many failed authentication attempts; try again later")
                .logResponse(session, "AUTH", null, Optional.empty());
        }
        return null;
    }

    @Override
    public HookResult doAuth(SMTPSession session, Username username, String password) {
        if (!encryptedOrExempt(session)) {
            return SessionReject.permanent("538", "5.7.11 Encryption required for requested authentication mechanism").result();
        }
        try {
            if (users.test(username, password)) {
                session.setUsername(username);
                session.setRelayingAllowed(true);
                failures.recordSuccess();
                MailLog.LOGGER.info("{}: SASL authentication succeeded, sasl_username={}",
                    ClientName.of(session), username.asString());
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
        InetAddress client = clientAddress(session);
        int recent = failures.recordFailure(client, lockout);
        MailLog.LOGGER.warn("warning: {}: SASL authentication failed: authentication failure, sasl_username={}, failures={}",
            ClientName.of(session), username.asString(), recent);
        if (recent >= maxFailures) {
            failures.lockOut(client, lockout);
            MailLog.LOGGER.warn("warning: {}: {} failed AUTH attempts; AUTH locked out for {}",
                ClientName.of(session), recent, lockout);
            return SessionReject.temporary("421", "4.7.0 Too many failed authentication attempts; closing connection")
                .thenDisconnect().result();
        }
        pause(delayAfter(recent));
        return SessionReject.permanent("535", "5.7.8 Authentication credentials invalid").result();
    }

    /** {@code failureDelay} after the first failure, doubling after each further one. */
    Duration delayAfter(int recentFailures) {
        Duration delay = failureDelay;
        for (int i = 1; i < recentFailures && delay.compareTo(maxFailureDelay) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(maxFailureDelay) > 0 ? maxFailureDelay : delay;
    }

    /*
     * A blocking pause, as Postfix's smtpd_error_sleep_time: James runs SMTP commands on a pool
     * of worker threads, so only this client's session waits; maxFailureDelay caps the cost.
     */
    private static void pause(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean encryptedOrExempt(SMTPSession session) {
        return session.isTLSStarted() || (plaintextFromTrustedNetworks && session.isRelayingAllowed());
    }

    private static InetAddress clientAddress(SMTPSession session) {
        return session.getRemoteAddress().getAddress();
    }
}
