package org.maildeck.assembly.managesieve;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.james.core.Username;
import org.apache.james.managesieve.api.AuthenticationRequiredException;
import org.apache.james.managesieve.api.Session;
import org.apache.james.managesieve.api.SieveParser;
import org.apache.james.managesieve.api.SyntaxException;
import org.apache.james.managesieve.core.CoreProcessor;
import org.apache.james.sieverepository.api.ScriptContent;
import org.apache.james.sieverepository.api.ScriptName;
import org.apache.james.sieverepository.api.SieveRepository;
import org.apache.james.sieverepository.api.exception.QuotaExceededException;
import org.apache.james.sieverepository.api.exception.ScriptNotFoundException;
import org.apache.james.sieverepository.api.exception.SieveRepositoryException;
import org.apache.james.user.api.UsersRepository;
import org.apache.james.user.api.UsersRepositoryException;
import org.maildeck.mailets.MailLog;
import org.maildeck.mailets.auth.FailureDelay;
import org.maildeck.mailets.auth.LoginProtocol;
import org.maildeck.mailets.auth.LoginThrottle;
import org.maildeck.mailets.sieve.PigeonholeSieveRepository;

/**
 * James's ManageSieve commands with what Maildeck needs on top:
 * <ul>
 *   <li>AUTHENTICATE only after STARTTLS ({@code NO (ENCRYPT-NEEDED)}, RFC 5804 2.1.1), as SMTP
 *   AUTH is only offered over TLS;</li>
 *   <li>logins under the {@link LoginThrottle} SMTP, IMAP and POP3 share (a locked-out address
 *   gets {@code NO (TRYLATER)}, a failure waits as SMTP's does), and PLAIN decoded per RFC 4616
 *   (James's takes an authorization identity for the user name);</li>
 *   <li>PUTSCRIPT parses before it stores (James stores first): a broken script is never
 *   written, and the error names its line and column ({@link PositionedSieveParser});</li>
 *   <li>GETSCRIPT's literal counted in bytes, as RFC 5804 counts it (James counts characters);</li>
 *   <li>a log line per login and per change, as Pigeonhole's managesieve writes them.</li>
 * </ul>
 */
class MaildeckCoreProcessor extends CoreProcessor {

    static final String ENCRYPT_NEEDED = "NO (ENCRYPT-NEEDED) \"Authentication requires TLS: issue STARTTLS first\"";
    static final String LOCKED_OUT = "NO (TRYLATER) \"Too many failed authentication attempts; try again later\"";

    /** {@code "MECHANISM" {N+}CRLF initial-response}: what follows AUTHENTICATE. */
    private static final Pattern LITERAL_INITIAL_RESPONSE = Pattern.compile("(\"[^\"]*\")\\s*\\{\\d+\\+?}\r?\n(.*?)\\s*", Pattern.DOTALL);

    private final SieveRepository scripts;
    private final UsersRepository users;
    private final SieveParser parser;
    private final LoginThrottle throttle;

    MaildeckCoreProcessor(SieveRepository scripts, UsersRepository users, SieveParser parser, LoginThrottle throttle) {
        super(scripts, users, parser);
        this.scripts = scripts;
        this.users = users;
        this.parser = parser;
        this.throttle = throttle;
    }

    @Override
    public String chooseMechanism(Session session, String mechanism) {
        if (!session.isSslEnabled()) {
            return ENCRYPT_NEEDED;
        }
        Matcher literal = LITERAL_INITIAL_RESPONSE.matcher(mechanism);
        if (literal.matches()) {
            // AUTHENTICATE "PLAIN" {N+} with the initial response as a literal (sieve-connect's
            // way): James's parser sees a mechanism and would wait for a response that came already
            String chosen = super.chooseMechanism(session, literal.group(1));
            return chosen.startsWith("NO") ? chosen : authenticate(session, literal.group(2));
        }
        return super.chooseMechanism(session, mechanism);
    }

    @Override
    public String authenticate(Session session, String suppliedData) {
        session.setState(Session.State.UNAUTHENTICATED);
        if (!session.isSslEnabled()) {
            return ENCRYPT_NEEDED;
        }
        InetSocketAddress client = ((ClientSession) session).client();
        Optional<Plain> plain = Plain.decode(suppliedData);
        Optional<String> login = plain.map(Plain::user);
        FailureDelay.pause(throttle.penalty(client.getAddress()));
        if (throttle.refuses(LoginProtocol.MANAGESIEVE, client, login).isPresent()) {
            return LOCKED_OUT;
        }
        Optional<Username> user = plain.flatMap(this::check);
        if (user.isEmpty()) {
            LoginThrottle.Failure failure = throttle.failed(LoginProtocol.MANAGESIEVE, client, login);
            MailLog.LOGGER.info("managesieve-login: Aborted login (auth failed): user=<{}>, method=PLAIN, rip={}, TLS",
                login.orElse(""), client.getAddress().getHostAddress());
            FailureDelay.pause(failure.delay());
            return failure.lockedOut() ? LOCKED_OUT : "NO \"Authentication failed\"";
        }
        throttle.succeeded(LoginProtocol.MANAGESIEVE, client, user.get().asString());
        session.setUser(user.get());
        session.setState(Session.State.AUTHENTICATED);
        MailLog.LOGGER.info("managesieve-login: Login: user=<{}>, method=PLAIN, rip={}, TLS", user.get().asString(),
            client.getAddress().getHostAddress());
        return "OK";
    }

    private Optional<Username> check(Plain plain) {
        if (!plain.authorization().isEmpty() && !plain.authorization().equals(plain.user())) {
            return Optional.empty(); // no proxy logins
        }
        try {
            Username user = Username.of(plain.user());
            return users.test(user, plain.password()) ? Optional.of(user) : Optional.empty();
        } catch (UsersRepositoryException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** RFC 4616: {@code [authzid] NUL authcid NUL passwd}, base64, maybe quoted. */
    record Plain(String authorization, String user, String password) {
        static Optional<Plain> decode(String supplied) {
            String data = supplied == null ? "" : supplied.strip();
            if (data.length() >= 2 && data.startsWith("\"") && data.endsWith("\"")) {
                data = data.substring(1, data.length() - 1);
            }
            try {
                String[] parts = new String(Base64.getDecoder().decode(data), StandardCharsets.UTF_8).split("\u0000", -1);
                if (parts.length != 3 || parts[1].isEmpty()) {
                    return Optional.empty();
                }
                return Optional.of(new Plain(parts[0], parts[1], parts[2]));
            } catch (IllegalArgumentException notBase64) {
                return Optional.empty();
            }
        }
    }

    @Override
    public String putScript(Session session, String name, String content) {
        try {
            authenticationCheck(session);
            parser.parse(content);
            scripts.putScript(session.getUser(), new ScriptName(name), new ScriptContent(content));
            changed(session, "stored script \"" + name + "\"");
            return "OK";
        } catch (AuthenticationRequiredException e) {
            return "NO";
        } catch (SyntaxException e) {
            return "NO \"" + quotable(e.getMessage()) + "\"";
        } catch (PigeonholeSieveRepository.InvalidScriptNameException e) {
            return "NO \"" + quotable(e.getMessage()) + "\"";
        } catch (QuotaExceededException e) {
            return "NO (QUOTA/MAXSIZE) \"" + quotable(e.getMessage()) + "\"";
        } catch (SieveRepositoryException e) {
            return "NO \"" + quotable(e.getMessage()) + "\"";
        }
    }

    @Override
    public String checkScript(Session session, String content) {
        try {
            authenticationCheck(session);
            parser.parse(content);
            return "OK";
        } catch (AuthenticationRequiredException e) {
            return "NO";
        } catch (SyntaxException e) {
            return "NO \"" + quotable(e.getMessage()) + "\"";
        }
    }

    /** GETSCRIPT with the literal's size in bytes (James counts characters: a script with non-ASCII text came out cut). */
    @Override
    public String getScript(Session session, String name) {
        try {
            authenticationCheck(session);
            try (InputStream in = scripts.getScript(session.getUser(), new ScriptName(name))) {
                String script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                return "{" + script.getBytes(StandardCharsets.UTF_8).length + "}\r\n" + script + "\r\nOK";
            }
        } catch (AuthenticationRequiredException e) {
            return "NO";
        } catch (ScriptNotFoundException e) {
            return "NO (NONEXISTENT) \"There is no script by that name\"";
        } catch (SieveRepositoryException | IOException e) {
            return "NO \"" + quotable(e.getMessage()) + "\"";
        }
    }

    @Override
    public String setActive(Session session, String name) {
        return logged(session, super.setActive(session, name),
            name.isEmpty() ? "deactivated scripts" : "activated script \"" + name + "\"");
    }

    @Override
    public String deleteScript(Session session, String name) {
        return logged(session, super.deleteScript(session, name), "deleted script \"" + name + "\"");
    }

    @Override
    public String renameScript(Session session, String oldName, String newName) {
        return logged(session, super.renameScript(session, oldName, newName), "renamed script \"" + oldName + "\" to \"" + newName + "\"");
    }

    private static String logged(Session session, String response, String what) {
        if (response.startsWith("OK")) {
            changed(session, what);
        }
        return response;
    }

    private static void changed(Session session, String what) {
        MailLog.LOGGER.info("managesieve({}): {}", session.getUser().asString(), what);
    }

    private static String quotable(String message) {
        return String.valueOf(message).replaceAll("[\\r\\n]+", " ").replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
