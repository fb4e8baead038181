package org.maildeck.assembly.jmx;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.rmi.registry.LocateRegistry;
import java.rmi.registry.Registry;
import java.rmi.server.RMIClientSocketFactory;
import java.rmi.server.RMIServerSocketFactory;
import java.rmi.server.UnicastRemoteObject;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.annotation.PreDestroy;
import javax.inject.Inject;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.remote.JMXConnectorServer;
import javax.management.remote.JMXConnectorServerFactory;
import javax.management.remote.JMXServiceURL;
import javax.management.remote.rmi.RMIConnectorServer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.rmi.ssl.SslRMIClientSocketFactory;

import org.apache.james.filesystem.api.JamesDirectoriesProvider;
import org.apache.james.modules.server.JMXServer;
import org.apache.james.modules.server.JmxConfiguration;
import org.maildeck.adminaccess.JmxTls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * James's JMX server with both of its ports fixed and bound to the configured address only.
 *
 * <p>Upstream binds the RMI registry to the configured host but exports the connector itself on
 * a random port on every interface. Here the connector port is {@code jmx.rmi.port} from
 * {@code jmx.properties} (default: registry port - 1) and both sockets are bound to
 * {@code jmx.address}. Password and access files are required; they are generated (owner-only)
 * when missing.</p>
 */
public class LoopbackJmxServer extends JMXServer {

    private static final Logger LOGGER = LoggerFactory.getLogger(LoopbackJmxServer.class);
    static final String ADMIN_USER = JmxConfiguration.JAMES_ADMIN_USER_DEFAULT;

    private final JmxConfiguration configuration;
    private final JmxConnectorPort connectorPort;
    private final JmxTls tls;
    private final Path passwordFile;
    private final Path accessFile;
    private final List<ObjectName> registered = new ArrayList<>();
    private Registry registry;
    private JMXConnectorServer connector;

    @Inject
    LoopbackJmxServer(JmxConfiguration configuration, JmxConnectorPort connectorPort, JmxTls tls, JamesDirectoriesProvider directories) {
        super(configuration, directories);
        this.configuration = configuration;
        this.connectorPort = connectorPort;
        this.tls = tls;
        this.passwordFile = Path.of(directories.getConfDirectory(), JmxConfiguration.PASSWORD_FILE_NAME);
        this.accessFile = Path.of(directories.getConfDirectory(), JmxConfiguration.ACCESS_FILE_NAME);
    }

    @Override
    public synchronized void start() {
        if (!configuration.isEnabled() || connector != null) {
            return;
        }
        try {
            String host = configuration.getHost().getHostName();
            int registryPort = configuration.getHost().getPort();
            InetAddress address = InetAddress.getByName(host);
            RMIServerSocketFactory boundToAddress = tls.enabled()
                ? new BoundTlsServerSocketFactory(address, tls.serverContext())
                : new BoundServerSocketFactory(address);
            // the stubs clients get tell them to speak TLS too
            RMIClientSocketFactory clientSockets = tls.enabled() ? new SslRMIClientSocketFactory() : null;
            ensureCredentialFiles();

            // Stubs handed to clients must name the address we listen on.
            System.setProperty("java.rmi.server.hostname", address.getHostAddress());
            registry = LocateRegistry.createRegistry(registryPort, clientSockets, boundToAddress);

            Map<String, Object> environment = new HashMap<>();
            environment.put(RMIConnectorServer.RMI_SERVER_SOCKET_FACTORY_ATTRIBUTE, boundToAddress);
            if (clientSockets != null) {
                environment.put(RMIConnectorServer.RMI_CLIENT_SOCKET_FACTORY_ATTRIBUTE, clientSockets);
                // the connector registers itself in the registry through JNDI, over TLS as well, trusting our own certificate
                SSLSocketFactory ownCertificate = tls.clientContext().getSocketFactory();
                environment.put("com.sun.jndi.rmi.factory.socket", (RMIClientSocketFactory) ownCertificate::createSocket);
            }
            environment.put("jmx.remote.x.password.file", passwordFile.toString());
            environment.put("jmx.remote.x.access.file", accessFile.toString());
            environment.put("jmx.remote.rmi.server.credentials.filter.pattern", "java.lang.String;!*");
            JMXServiceURL url = new JMXServiceURL("service:jmx:rmi://" + host + ":" + connectorPort.value()
                + "/jndi/rmi://" + host + ":" + registryPort + "/jmxrmi");
            connector = JMXConnectorServerFactory.newJMXConnectorServer(url, environment, ManagementFactory.getPlatformMBeanServer());
            connector.start();
            LOGGER.info("JMX listening on {}:{} (registry) and {}:{} (connector), authentication required{}",
                address.getHostAddress(), registryPort, address.getHostAddress(), connectorPort.value(), tls.enabled() ? ", TLS" : "");
        } catch (IOException e) {
            throw new IllegalStateException("JMX server could not start: " + e.getMessage(), e);
        }
    }

    @Override
    public void register(String key, Object mbean) throws Exception {
        ObjectName name = new ObjectName(key);
        ManagementFactory.getPlatformMBeanServer().registerMBean(mbean, name);
        synchronized (this) {
            registered.add(name);
        }
    }

    @Override
    @PreDestroy
    public synchronized void stop() {
        if (connector == null) {
            return;
        }
        MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();
        for (ObjectName name : registered) {
            try {
                mbeans.unregisterMBean(name);
            } catch (Exception e) {
                LOGGER.debug("MBean {} was already gone", name);
            }
        }
        registered.clear();
        try {
            connector.stop();
            UnicastRemoteObject.unexportObject(registry, true);
        } catch (IOException e) {
            LOGGER.warn("JMX server did not stop cleanly: {}", e.getMessage());
        }
        connector = null;
    }

    private void ensureCredentialFiles() throws IOException {
        if (Files.exists(passwordFile) && Files.exists(accessFile)) {
            return;
        }
        String password = randomPassword();
        writeOwnerOnly(passwordFile, ADMIN_USER + " " + password + "\n");
        writeOwnerOnly(accessFile, ADMIN_USER + " readwrite\n");
        LOGGER.info("generated JMX credentials for user {} in {}", ADMIN_USER, passwordFile);
    }

    private static String randomPassword() {
        SecureRandom random = new SecureRandom();
        String alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        StringBuilder password = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            password.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return password.toString();
    }

    private static void writeOwnerOnly(Path file, String content) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, content, StandardCharsets.UTF_8);
    }

    /** TLS server sockets bound to one address (the JDK's SslRMIServerSocketFactory binds the wildcard). */
    private record BoundTlsServerSocketFactory(InetAddress address, SSLContext context) implements RMIServerSocketFactory {
        @Override
        public ServerSocket createServerSocket(int port) throws IOException {
            return context.getServerSocketFactory().createServerSocket(port, 50, address);
        }
    }

    /** Server sockets bound to one address instead of the wildcard. */
    private record BoundServerSocketFactory(InetAddress address) implements RMIServerSocketFactory {
        @Override
        public ServerSocket createServerSocket(int port) throws IOException {
            return new ServerSocket(port, 50, address);
        }
    }
}
