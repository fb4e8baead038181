package org.maildeck.console;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.servlet.Servlet;

import org.eclipse.jetty.server.ConnectionLimit;
import org.eclipse.jetty.server.ForwardedRequestCustomizer;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.apache.james.lifecycle.api.Startable;
import org.maildeck.adminaccess.accounts.AccountStore;
import org.maildeck.contentfilter.quarantine.Quarantine;
import org.maildeck.mailets.quarantine.QuarantineDeletion;
import org.maildeck.mailets.quarantine.QuarantineRelease;
import org.maildeck.monitoring.LastHour;
import org.maildeck.spool.MailQueueAdmin;
import org.maildeck.spool.MonitoredQueues;
import org.maildeck.mailets.auth.LoginThrottle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web console's HTTP listener: the admins' pages, and each mail user's own ({@code /account}).
 * <p>
 * <b>Why this stack.</b> The server's JVM already runs Jetty 9.4 for James's WebAdmin (Spark
 * 2.9 on Jetty 9.4.48): the console is one plain servlet on that same Jetty, so it adds no
 * second HTTP server, no second Jetty major version and no framework to keep (Spark itself is
 * frozen and holds one static instance per JVM, already WebAdmin's). Pages are rendered on the
 * server from Mustache templates (Mustache.java: one jar without dependencies, kept, logic-less,
 * HTML-escaping every value unless a template asks otherwise, which ours never do); jte needs a
 * compile step or a JDK compiler at run time, Thymeleaf brings OGNL/attoparser and a larger
 * attack surface for the same few pages. There is no JavaScript at all: every action is a plain
 * HTML form with a 303 redirect after it, so the Content-Security-Policy can forbid scripts
 * outright and there is no build chain.
 * <p>
 * Limits: {@code max.connections} at once (more wait in the accept queue), headers of
 * {@code max.header.size}, forms of {@code max.request.size}, a small thread pool; the
 * listener is meant for 127.0.0.1 and a reverse proxy doing TLS (README, "Web console").
 */
public class ConsoleServer implements Startable {

    private static final Logger LOGGER = LoggerFactory.getLogger(ConsoleServer.class);

    private final ConsoleSettings settings;
    private final Server server;
    private final ServerConnector connector;

    /** What the status page reads: the server's listeners and health, the last hour's figures, the queues. */
    public record StatusPageSources(ServerState server, LastHour lastHour, MonitoredQueues queues) {
    }

    /**
     * @param publicRoutes servlets answered without a login, by exact path, before the console's
     *                     own (the client autoconfiguration documents): each keeps its own limits
     */
    public ConsoleServer(ConsoleSettings settings, ConsoleAdmins admins, Sessions sessions, AccountStore store, UserQuotas quotas,
                         LoginThrottle throttle, Quarantine quarantine, QuarantineRelease release, QuarantineDeletion deletion,
                         MailQueueAdmin queues, MailUsers mailUsers, VacationScript vacations, StatusPageSources status,
                         Map<String, Servlet> publicRoutes) {
        this.settings = settings;
        QueuedThreadPool threads = new QueuedThreadPool(Math.max(8, settings.maxConnections() + 4), 2);
        threads.setName("console");
        this.server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        http.setRequestHeaderSize(settings.maxHeaderBytes());
        if (settings.behindProxy()) {
            http.addCustomizer(new ForwardedRequestCustomizer());
        }
        this.connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        connector.setHost(settings.address().getHostString());
        connector.setPort(settings.address().getPort());
        connector.setIdleTimeout(30_000);
        server.addConnector(connector);
        server.addBean(new ConnectionLimit(settings.maxConnections(), server));

        Views views = new Views();
        ConsoleServlet servlet = new ConsoleServlet(List.of(new DomainsPage(store), new UsersPage(store, quotas), new AliasesPage(store),
                new QuarantinePage(quarantine, release, deletion), new QueuePage(queues),
                new StatusPage(status.server(), status.lastHour(), status.queues())),
            new AccountPage(store, mailUsers, vacations, sessions),
            new Login(Login.Door.admins(admins), sessions, throttle, views), new Login(Login.Door.mailUsers(mailUsers), sessions, throttle, views),
            sessions, admins, mailUsers, views, settings.maxRequestBytes());
        ServletContextHandler context = new ServletContextHandler(ServletContextHandler.NO_SESSIONS);
        context.setContextPath("/");
        context.setMaxFormContentSize(settings.maxRequestBytes());
        context.setMaxFormKeys(64);
        context.addServlet(new ServletHolder(servlet), "/*");
        // an exact path mapping wins over "/*" in the servlet specification's matching order
        publicRoutes.forEach((path, route) -> context.addServlet(new ServletHolder(route), path));
        ErrorHandler errors = new ErrorHandler();
        errors.setShowStacks(false);
        errors.setShowServlet(false);
        context.setErrorHandler(errors);
        server.setErrorHandler(errors);
        server.setHandler(context);
        server.setStopTimeout(2_000);
    }

    public void start() throws Exception {
        if (!settings.enabled()) {
            return;
        }
        server.start();
        LOGGER.debug("web console listening on {}", boundAddress().orElse(null));
    }

    public void stop() {
        try {
            server.stop();
        } catch (Exception e) {
            LOGGER.warn("web console: stopping: {}", e.toString());
        }
    }

    /** Where it listens, once started (empty when disabled). */
    public Optional<InetSocketAddress> boundAddress() {
        if (!connector.isStarted()) {
            return Optional.empty();
        }
        return Optional.of(new InetSocketAddress(settings.address().getAddress(), connector.getLocalPort()));
    }
}
