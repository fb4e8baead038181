package org.maildeck.assembly.liveness;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;

import javax.inject.Inject;

import org.apache.james.core.Username;
import org.apache.james.core.healthcheck.ComponentName;
import org.apache.james.core.healthcheck.HealthCheck;
import org.apache.james.core.healthcheck.Result;
import org.apache.james.protocols.lib.netty.AbstractConfigurableAsyncServer;
import org.apache.james.smtpserver.netty.SMTPServerFactory;
import org.apache.james.user.api.UsersRepository;
import org.reactivestreams.Publisher;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Whether the server can take mail: its first plain SMTP listener answers a session (greeting
 * and NOOP, over loopback) and a recipient can be looked up, as RCPT does (the users in the
 * database). A server that logged {@code ready} and then hung, its SMTP sessions waiting for the
 * database, fails this check while its process still runs. The systemd watchdog is fed on it.
 */
public class SmtpServiceHealthCheck implements HealthCheck {

    static final ComponentName COMPONENT = new ComponentName("SMTP service");
    /** A user that cannot exist (.invalid, RFC 2606): the lookup costs one query and finds nothing. */
    private static final Username NOBODY = Username.of("liveness-probe@maildeck.invalid");

    private final SMTPServerFactory smtpServers;
    private final UsersRepository users;

    @Inject
    SmtpServiceHealthCheck(SMTPServerFactory smtpServers, UsersRepository users) {
        this.smtpServers = smtpServers;
        this.users = users;
    }

    @Override
    public ComponentName componentName() {
        return COMPONENT;
    }

    @Override
    public Publisher<Result> check() {
        return Mono.fromCallable(this::probe)
            .subscribeOn(Schedulers.boundedElastic());
    }

    private Result probe() {
        Optional<AbstractConfigurableAsyncServer> smtp = firstPlainSmtpServer();
        if (smtp.isPresent()) {
            // the addresses of its bound sockets: none once the listener is stopped
            List<InetSocketAddress> listening = smtp.get().getListenAddresses();
            if (listening.isEmpty()) {
                return Result.unhealthy(COMPONENT, "SMTP listener on port " + smtp.get().getPort() + " is not listening");
            }
            try {
                SmtpProbe.session(listening.get(0));
            } catch (IOException e) {
                return Result.unhealthy(COMPONENT, "SMTP listener " + SmtpProbe.describe(listening.get(0)) + " does not answer: " + e.getMessage());
            }
        }
        try {
            users.contains(NOBODY);
        } catch (Exception e) {
            return Result.unhealthy(COMPONENT, "recipient lookups fail", e);
        }
        return Result.healthy(COMPONENT);
    }

    /** The first enabled SMTP listener without implicit TLS, which the probe can talk to in the clear. */
    private Optional<AbstractConfigurableAsyncServer> firstPlainSmtpServer() {
        return smtpServers.getServers().stream()
            .filter(AbstractConfigurableAsyncServer::isEnabled)
            .filter(server -> !"secure".equals(server.getSocketType()))
            .findFirst();
    }
}
