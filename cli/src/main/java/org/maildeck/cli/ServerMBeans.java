package org.maildeck.cli;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import javax.management.JMException;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import javax.net.ssl.SSLContext;
import javax.rmi.ssl.SslRMIClientSocketFactory;

import org.maildeck.adminaccess.JmxTls;

/**
 * The server's MBeans, read as a JMX console reads them: over the loopback connector of
 * jmx.properties, as {@code james-admin} with the password the server generated. The password
 * file is readable by the service user only, so other users get an {@link IOException} naming it.
 */
final class ServerMBeans implements AutoCloseable {

    private static final String ADMIN = "james-admin";

    private final JMXConnector connector;
    private final MBeanServerConnection mbeans;

    private ServerMBeans(JMXConnector connector) throws IOException {
        this.connector = connector;
        this.mbeans = connector.getMBeanServerConnection();
    }

    /** A server that stops answering midway must not hang the command (RMI waits for ever by default). */
    private static final String RMI_TIMEOUT_MILLIS = "15000";

    static ServerMBeans connect(Path conf) throws IOException {
        System.setProperty("sun.rmi.transport.tcp.responseTimeout", RMI_TIMEOUT_MILLIS);
        System.setProperty("sun.rmi.transport.proxy.connectTimeout", RMI_TIMEOUT_MILLIS);
        Properties jmx = new Properties();
        try (Reader in = Files.newBufferedReader(conf.resolve("jmx.properties"), UTF_8)) {
            jmx.load(in);
        }
        String address = jmx.getProperty("jmx.address", "127.0.0.1").trim();
        String port = jmx.getProperty("jmx.port", "9999").trim();
        JMXServiceURL url = new JMXServiceURL("service:jmx:rmi:///jndi/rmi://" + address + ":" + port + "/jmxrmi");
        String[] credentials = {ADMIN, password(conf.resolve("jmxremote.password"))};
        Map<String, Object> environment = new HashMap<>(Map.of(JMXConnector.CREDENTIALS, credentials));
        JmxTls tls = JmxTls.fromSettings(jmx::getProperty, conf);
        if (tls.enabled()) {
            // the TLS sockets of RMI stubs use the process's default context; the CLI process does nothing else
            SSLContext.setDefault(tls.clientContext());
            // the registry is asked over TLS too; the connector's stub brings its own TLS socket factory
            environment.put("com.sun.jndi.rmi.factory.socket", new SslRMIClientSocketFactory());
        }
        return new ServerMBeans(JMXConnectorFactory.connect(url, environment));
    }

    private static String password(Path file) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, UTF_8);
        } catch (IOException e) {
            throw new IOException("cannot read " + file + ": " + (e instanceof AccessDeniedException ? "permission denied" : e.getMessage()), e);
        }
        return lines.stream()
            .map(line -> line.trim().split("\\s+"))
            .filter(fields -> fields.length == 2 && fields[0].equals(ADMIN))
            .map(fields -> fields[1])
            .findFirst()
            .orElseThrow(() -> new IOException("no " + ADMIN + " in " + file));
    }

    /** The {@code name} keys of the MBeans {@code org.maildeck:type=<type>,name=*}, sorted. */
    Set<String> names(String type) throws IOException, JMException {
        Set<String> names = new TreeSet<>();
        for (ObjectName found : mbeans.queryNames(new ObjectName("org.maildeck:type=" + type + ",name=*"), null)) {
            names.add(found.getKeyProperty("name"));
        }
        return names;
    }

    long count(String mbean, String attribute) throws IOException, JMException {
        return ((Number) mbeans.getAttribute(new ObjectName(mbean), attribute)).longValue();
    }

    /** A table attribute of key and number (an MXBean's {@code Map<String, Long>}), in key order. */
    Map<String, Long> counts(String mbean, String attribute) throws IOException, JMException {
        Map<String, Long> counts = new TreeMap<>();
        TabularData table = (TabularData) mbeans.getAttribute(new ObjectName(mbean), attribute);
        for (Object row : table.values()) {
            CompositeData entry = (CompositeData) row;
            counts.put(String.valueOf(entry.get("key")), ((Number) entry.get("value")).longValue());
        }
        return counts;
    }

    double decimal(String mbean, String attribute) throws IOException, JMException {
        return ((Number) mbeans.getAttribute(new ObjectName(mbean), attribute)).doubleValue();
    }

    @Override
    public void close() throws IOException {
        connector.close();
    }
}
