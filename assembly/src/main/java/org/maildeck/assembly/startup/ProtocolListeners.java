package org.maildeck.assembly.startup;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import javax.inject.Inject;

import org.apache.james.imapserver.netty.IMAPServerFactory;
import org.apache.james.lmtpserver.netty.LMTPServerFactory;
import org.apache.james.managesieveserver.netty.ManageSieveServerFactory;
import org.apache.james.modules.server.JmxConfiguration;
import org.apache.james.pop3server.netty.POP3ServerFactory;
import org.apache.james.protocols.lib.netty.AbstractConfigurableAsyncServer;
import org.apache.james.protocols.lib.netty.AbstractServerFactory;
import org.apache.james.smtpserver.netty.SMTPServerFactory;
import org.apache.james.utils.GuiceProbe;
import org.apache.james.webadmin.WebAdminConfiguration;
import org.apache.james.webadmin.WebAdminServer;
import org.maildeck.assembly.jmx.JmxConnectorPort;
import org.maildeck.console.ConsoleServer;
import org.maildeck.milter.MilterServer;

/**
 * The server's protocol listeners: what they listen on, one line per socket for the start-up
 * log, and closing them all at once when the server stops.
 */
public class ProtocolListeners implements GuiceProbe {

    private final SMTPServerFactory smtp;
    private final IMAPServerFactory imap;
    private final POP3ServerFactory pop3;
    private final LMTPServerFactory lmtp;
    private final ManageSieveServerFactory manageSieve;
    private final WebAdminServer webAdmin;
    private final WebAdminConfiguration webAdminConfiguration;
    private final JmxConfiguration jmx;
    private final JmxConnectorPort jmxConnectorPort;
    private final MilterServer milter;
    private final ConsoleServer console;

    @Inject
    ProtocolListeners(SMTPServerFactory smtp, IMAPServerFactory imap, POP3ServerFactory pop3, LMTPServerFactory lmtp,
                      ManageSieveServerFactory manageSieve,
                      WebAdminServer webAdmin, WebAdminConfiguration webAdminConfiguration, JmxConfiguration jmx, JmxConnectorPort jmxConnectorPort,
                      MilterServer milter, ConsoleServer console) {
        this.smtp = smtp;
        this.imap = imap;
        this.pop3 = pop3;
        this.lmtp = lmtp;
        this.manageSieve = manageSieve;
        this.webAdmin = webAdmin;
        this.webAdminConfiguration = webAdminConfiguration;
        this.jmx = jmx;
        this.jmxConnectorPort = jmxConnectorPort;
        this.milter = milter;
        this.console = console;
    }

    public List<String> listeners() {
        List<String> lines = new ArrayList<>();
        describe("SMTP", smtp, lines);
        describe("IMAP", imap, lines);
        describe("POP3", pop3, lines);
        describe("LMTP", lmtp, lines);
        describe("ManageSieve", manageSieve, lines);
        milter.boundAddress().ifPresent(address ->
            lines.add("listener milter " + address.getAddress().getHostAddress() + ":" + address.getPort() + " plain"));
        console.boundAddress().ifPresent(address ->
            lines.add("listener console " + address.getAddress().getHostAddress() + ":" + address.getPort() + " http"));
        if (webAdminConfiguration.isEnabled()) {
            lines.add("listener WebAdmin " + webAdminConfiguration.getHost() + ":" + webAdmin.getPort().getValue()
                + (webAdminConfiguration.isTlsEnabled() ? " https" : " http"));
        }
        if (jmx.isEnabled()) {
            String host = jmx.getHost().getHostName();
            lines.add("listener JMX " + host + ":" + jmx.getHost().getPort() + " rmi registry, "
                + host + ":" + jmxConnectorPort.value() + " connector");
        }
        return lines;
    }

    /**
     * Closes every protocol listener in parallel and waits for their in-flight sessions to
     * finish. Each one alone waits out Netty's quiet period (about 2 s), so closing them one
     * after the other, as the container would, makes a stop take 2 s per listener.
     */
    public void closeAll() {
        CompletableFuture<Void> milterClosed = CompletableFuture.runAsync(milter::stop);
        CompletableFuture<Void> consoleClosed = CompletableFuture.runAsync(console::stop);
        Stream.of(smtp, imap, pop3, lmtp, manageSieve)
            .flatMap(factory -> factory.getServers().stream())
            .filter(AbstractConfigurableAsyncServer::isEnabled)
            .map(server -> CompletableFuture.runAsync(server::unbind))
            .toList()
            .forEach(CompletableFuture::join);
        milterClosed.join();
        consoleClosed.join();
    }

    private static void describe(String protocol, AbstractServerFactory factory, List<String> lines) {
        for (AbstractConfigurableAsyncServer server : factory.getServers()) {
            if (!server.isEnabled()) {
                continue;
            }
            server.getListenAddresses().forEach(address -> lines.add("listener " + protocol + " "
                + address.getAddress().getHostAddress() + ":" + address.getPort() + " " + security(server)));
        }
    }

    private static String security(AbstractConfigurableAsyncServer server) {
        if ("secure".equals(server.getSocketType())) {
            return "implicit TLS";
        }
        return server.getStartTLSSupported() ? "plain, STARTTLS" : "plain";
    }
}
