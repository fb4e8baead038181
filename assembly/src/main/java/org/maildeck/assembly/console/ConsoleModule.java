package org.maildeck.assembly.console;

import java.util.Set;

import org.apache.james.core.healthcheck.HealthCheck;
import org.maildeck.monitoring.LastHour;
import org.maildeck.spool.MonitoredQueues;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.inject.Named;
import javax.inject.Singleton;
import javax.servlet.Servlet;

import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.core.Domain;
import org.apache.james.domainlist.api.DomainList;
import org.apache.james.domainlist.api.DomainListException;
import org.apache.james.filesystem.api.JamesDirectoriesProvider;
import org.apache.james.server.core.configuration.ConfigurationProvider;
import org.apache.james.util.Size;
import org.apache.james.utils.InitializationOperation;
import org.apache.james.utils.InitilizationOperationBuilder;
import org.apache.james.utils.PropertiesProvider;
import org.apache.james.webadmin.Routes;
import org.maildeck.adminaccess.accounts.AccountStore;
import org.maildeck.assembly.startup.PropertiesFiles;
import org.maildeck.assembly.startup.ServerName;
import org.maildeck.autoconfig.ClientListeners;
import org.maildeck.autoconfig.ClientSettingsServlet;
import org.maildeck.autoconfig.MailClientSettings;
import org.maildeck.console.ConsoleAdminRoutes;
import org.maildeck.console.ConsoleAdmins;
import org.maildeck.console.ConsoleServer;
import org.maildeck.console.ConsoleSettings;
import org.maildeck.console.MailUsers;
import org.maildeck.console.VacationScript;
import org.maildeck.console.ServerAccountStore;
import org.maildeck.console.Sessions;
import org.maildeck.console.UserQuotas;
import org.maildeck.contentfilter.quarantine.Quarantine;
import org.maildeck.durability.Durability;
import org.maildeck.maildir.james.MaildirMailboxes;
import org.maildeck.mailets.auth.LoginThrottle;
import org.maildeck.mailets.quarantine.QuarantineDeletion;
import org.maildeck.mailets.quarantine.QuarantineRelease;
import org.maildeck.spool.MailQueueAdmin;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Scopes;
import com.google.inject.multibindings.Multibinder;
import com.google.inject.multibindings.ProvidesIntoSet;

/**
 * The admin web console (console.properties, read once): its listener, started with the
 * others and closed by {@code ProtocolListeners}; its admins in {@code var/console/admins},
 * hashed with usersrepository.xml's algorithm; WebAdmin's routes for
 * {@code maildeck console-admin}. Without console.properties (an installation from before the
 * console) it is off.
 */
public class ConsoleModule extends AbstractModule {

    private static final String FILE = "console.properties";
    /** James's own default when usersrepository.xml names none, and the shipped one. */
    private static final String DEFAULT_ALGORITHM = "PBKDF2-SHA512-210000-512";

    @Override
    protected void configure() {
        bind(AccountStore.class).to(ServerAccountStore.class).in(Scopes.SINGLETON);
        Multibinder.newSetBinder(binder(), Routes.class).addBinding().to(ConsoleAdminRoutes.class);
    }

    @Provides
    @Singleton
    @Named("console")
    Configuration consoleProperties(PropertiesProvider properties) throws ConfigurationException {
        return PropertiesFiles.orDisabled(properties, "console");
    }

    @Provides
    @Singleton
    ConsoleSettings settings(@Named("console") Configuration config) throws ConfigurationException {
        try {
            return new ConsoleSettings(config.getBoolean("enabled", false),
                new InetSocketAddress(config.getString("host", "127.0.0.1").trim(), config.getInt("port", 8080)),
                config.getInt("max.connections", 50),
                Math.toIntExact(Size.parse(config.getString("max.request.size", "16K")).asBytes()),
                Math.toIntExact(Size.parse(config.getString("max.header.size", "8K")).asBytes()),
                PropertiesFiles.duration(config, FILE, "session.idle.timeout", "30m"),
                PropertiesFiles.duration(config, FILE, "session.max.age", "12h"),
                config.getInt("max.sessions", 1000),
                config.getBoolean("behind.proxy", false));
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new ConfigurationException(FILE + ": " + e.getMessage(), e);
        }
    }

    @Provides
    @Singleton
    ConsoleAdmins admins(JamesDirectoriesProvider directories, ConfigurationProvider xml) throws ConfigurationException {
        String algorithm = xml.getConfiguration("usersrepository").getString("algorithm", DEFAULT_ALGORITHM).trim();
        return new ConsoleAdmins(Path.of(directories.getVarDirectory(), "console", "admins"), algorithm, Durability.UNWATCHED);
    }

    @Provides
    @Singleton
    Sessions sessions(ConsoleSettings settings) {
        return new Sessions(settings.sessionIdleTimeout(), settings.sessionMaxAge(), settings.maxSessions(), Clock.systemUTC());
    }

    @Provides
    @Singleton
    ConsoleServer server(ConsoleSettings settings, ConsoleAdmins admins, Sessions sessions, AccountStore store, UserQuotas quotas,
                         LoginThrottle throttle, Quarantine quarantine, QuarantineRelease release, QuarantineDeletion deletion,
                         MailQueueAdmin queues, MailUsers mailUsers, MaildirMailboxes mailboxes, ClientSettingsServlet clientSettings,
                         JamesDirectoriesProvider directories, Set<HealthCheck> checks, LastHour lastHour, MonitoredQueues monitoredQueues) {
        Map<String, Servlet> publicRoutes = new LinkedHashMap<>();
        ClientSettingsServlet.paths().forEach(path -> publicRoutes.put(path, clientSettings));
        VacationScript vacations = new VacationScript(mailboxes.store().layout(), Durability.UNWATCHED);
        ConsoleServer.StatusPageSources status = new ConsoleServer.StatusPageSources(
            new RunningServerState(Path.of(directories.getConfDirectory()), checks), lastHour, monitoredQueues);
        return new ConsoleServer(settings, admins, sessions, store, quotas, throttle, quarantine, release, deletion, queues,
            mailUsers, vacations, status, publicRoutes);
    }

    /**
     * Client autoconfiguration (Thunderbird, Outlook, Apple) on the console's listener: the IMAP
     * and submission listeners of imapserver.xml and smtpserver.xml, under the server's name
     * (maildeck.hostname, the name its certificate carries), for the local domains.
     */
    @Provides
    @Singleton
    ClientSettingsServlet clientSettings(ConfigurationProvider xml, DomainList domains) throws ConfigurationException {
        MailClientSettings settings = ClientListeners.read(ServerName.current(),
            xml.getConfiguration("imapserver"), xml.getConfiguration("smtpserver"));
        return new ClientSettingsServlet(settings, domain -> {
            try {
                return domains.containsDomain(Domain.of(domain));
            } catch (DomainListException | IllegalArgumentException e) {
                return false;
            }
        });
    }

    @ProvidesIntoSet
    InitializationOperation startListening(ConsoleServer server) {
        return InitilizationOperationBuilder.forClass(ConsoleServer.class).init(server::start);
    }
}
