package org.maildeck.assembly.auth;

import java.io.FileNotFoundException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import javax.inject.Singleton;

import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.HierarchicalConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.commons.configuration2.tree.ImmutableNode;
import org.apache.james.pop3server.netty.POP3ServerFactory;
import org.apache.james.server.core.configuration.ConfigurationProvider;
import org.apache.james.utils.InitializationOperation;
import org.apache.james.utils.InitilizationOperationBuilder;
import org.apache.james.utils.PropertiesProvider;
import org.maildeck.assembly.pop3.MaildeckPop3Handlers;
import org.maildeck.mailets.auth.LoginThrottle;
import org.maildeck.mailets.auth.LoginThrottleSettings;
import org.maildeck.mailets.smtpd.SmtpAuthPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Scopes;
import com.google.inject.multibindings.ProvidesIntoSet;

/**
 * The one {@link LoginThrottle} of the server, shared by SMTP, IMAP and POP3 (the protocols'
 * handlers are made by James's loaders in child injectors: bound here, in the server's injector,
 * they all get this instance). Its settings are read once, at start:
 * <ol>
 *   <li>a key of {@code auththrottle.properties} wins;</li>
 *   <li>else the same key of the {@code SmtpAuthPolicy} handlers of an older smtpserver.xml,
 *   where the throttle was configured per SMTP listener (all listeners must then agree: there
 *   is one throttle), with a warning to move it;</li>
 *   <li>else the default ({@link LoginThrottleSettings#DEFAULTS}).</li>
 * </ol>
 */
public class LoginThrottleModule extends AbstractModule {

    private static final Logger LOGGER = LoggerFactory.getLogger(LoginThrottleModule.class);
    static final String FILE = "auththrottle";

    @Override
    protected void configure() {
        bind(LoginThrottle.class).in(Scopes.SINGLETON);
    }

    @Provides
    @Singleton
    LoginThrottleSettings settings(PropertiesProvider properties, ConfigurationProvider xml) throws ConfigurationException {
        LoginThrottleSettings settings = fromSmtpServer(xml.getConfiguration("smtpserver")).orElse(LoginThrottleSettings.DEFAULTS);
        try {
            settings = settings.overriddenBy(properties.getConfiguration(FILE), FILE + ".properties");
        } catch (FileNotFoundException e) {
            // no auththrottle.properties (an installation from before it existed): as above
        }
        LOGGER.info("login throttle (SMTP, IMAP, POP3): {} failures within {} lock an address out for {}; failures wait {} doubling up to {}",
            settings.maxFailures(), settings.lockout(), settings.lockout(), settings.failureDelay(), settings.maxFailureDelay());
        return settings;
    }

    /**
     * A pop3server.xml from before the throttle names James's own handlers: its POP3 listeners
     * would take any number of passwords. Said at start, where the admin looks.
     */
    @ProvidesIntoSet
    InitializationOperation warnOfUnthrottledPop3(ConfigurationProvider xml) {
        return InitilizationOperationBuilder.forClass(POP3ServerFactory.class).init(() -> {
            for (HierarchicalConfiguration<ImmutableNode> server : xml.getConfiguration("pop3server").configurationsAt("pop3server")) {
                String handlers = server.getString("handlerchain[@coreHandlersPackage]", "");
                if (server.getBoolean("[@enabled]", true) && !MaildeckPop3Handlers.class.getName().equals(handlers)) {
                    LOGGER.warn("pop3server.xml: the POP3 listener {} uses the handlers {}, not {}: its logins are not under the login throttle",
                        server.getString("bind", "?"), handlers, MaildeckPop3Handlers.class.getName());
                }
            }
        });
    }

    /** The throttle keys of the SmtpAuthPolicy handlers of smtpserver.xml, if any listener still has them. */
    static Optional<LoginThrottleSettings> fromSmtpServer(HierarchicalConfiguration<ImmutableNode> smtpServers) throws ConfigurationException {
        List<Configuration> policies = new ArrayList<>();
        for (HierarchicalConfiguration<ImmutableNode> server : smtpServers.configurationsAt("smtpserver")) {
            for (HierarchicalConfiguration<ImmutableNode> handler : server.configurationsAt("handlerchain.handler")) {
                if (SmtpAuthPolicy.class.getName().equals(handler.getString("[@class]"))
                        && LoginThrottleSettings.mentionedIn(handler)) {
                    policies.add(handler);
                }
            }
        }
        if (policies.isEmpty()) {
            return Optional.empty();
        }
        Set<LoginThrottleSettings> distinct = new LinkedHashSet<>();
        for (Configuration policy : policies) {
            distinct.add(LoginThrottleSettings.DEFAULTS.overriddenBy(policy, "smtpserver.xml SmtpAuthPolicy"));
        }
        if (distinct.size() > 1) {
            throw new ConfigurationException("smtpserver.xml: the SmtpAuthPolicy handlers set different "
                + LoginThrottleSettings.KEYS + " " + distinct + "; one login throttle now covers every listener and protocol:"
                + " set these keys once, in auththrottle.properties, and remove them from smtpserver.xml");
        }
        LOGGER.warn("smtpserver.xml: the SmtpAuthPolicy keys {} are deprecated; they now configure the login throttle of"
            + " SMTP, IMAP and POP3 alike: move them to auththrottle.properties", LoginThrottleSettings.KEYS);
        return Optional.of(distinct.iterator().next());
    }
}
