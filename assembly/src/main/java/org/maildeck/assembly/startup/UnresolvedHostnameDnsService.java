package org.maildeck.assembly.startup;

import java.net.InetAddress;

import javax.inject.Inject;

import org.apache.james.dnsservice.dnsjava.DNSJavaService;
import org.apache.james.metrics.api.MetricFactory;

import com.google.inject.AbstractModule;
import com.google.inject.Scopes;

/**
 * James's DNS service, whose start-up and HELO name need this host's address: when the host
 * name does not resolve, the kernel's name on the loopback address ({@link LocalHostname})
 * instead of a failed start; and the server's name ({@link ServerName}) for that address.
 */
public class UnresolvedHostnameDnsService extends DNSJavaService {

    @Inject
    public UnresolvedHostnameDnsService(MetricFactory metricFactory) {
        super(metricFactory);
    }

    @Override
    public InetAddress getLocalHost() {
        return LocalHostname.address();
    }

    /**
     * The server's name ({@link ServerName}) for the very address {@link #getLocalHost()} gave:
     * James's delivery reports name their {@code Reporting-MTA} with
     * {@code getHostName(getLocalHost())}. The same object, not an equal address: a client
     * connecting from 127.0.0.1 must keep its own name (localhost) in the logs and Received lines.
     */
    @Override
    public String getHostName(InetAddress address) {
        return address == LocalHostname.address() ? ServerName.current() : super.getHostName(address);
    }

    /** Replaces James's binding; given to {@code GuiceJamesServer.overrideWith}. */
    public static final class Module extends AbstractModule {
        @Override
        protected void configure() {
            bind(UnresolvedHostnameDnsService.class).in(Scopes.SINGLETON);
            bind(DNSJavaService.class).to(UnresolvedHostnameDnsService.class);
        }
    }
}
