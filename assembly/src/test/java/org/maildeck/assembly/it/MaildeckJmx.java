package org.maildeck.assembly.it;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;

import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/** A JMX client of a test server, as JConsole connects: RMI on loopback with the generated credentials. */
final class MaildeckJmx {

    static final String ADMIN = "james-admin";

    private MaildeckJmx() {
    }

    static JMXServiceURL url(MaildeckInstance server) throws IOException {
        return new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + server.port("jmx") + "/jmxrmi");
    }

    static JMXConnector connect(MaildeckInstance server, String user, String password) throws IOException {
        return JMXConnectorFactory.connect(url(server), Map.of(JMXConnector.CREDENTIALS, new String[] {user, password}));
    }

    static JMXConnector connectAsAdmin(MaildeckInstance server) throws IOException {
        return connect(server, ADMIN, adminPassword(server));
    }

    /** The password of {@code james-admin}, from the line {@code james-admin PASSWORD} the server generated. */
    static String adminPassword(MaildeckInstance server) throws IOException {
        return Files.readAllLines(server.conf().resolve("jmxremote.password"), UTF_8).stream()
            .map(line -> line.trim().split("\\s+"))
            .filter(fields -> fields.length == 2 && fields[0].equals(ADMIN))
            .map(fields -> fields[1])
            .findFirst()
            .orElseThrow(() -> new AssertionError("no " + ADMIN + " line in jmxremote.password"));
    }

    /** One numeric attribute, read over a fresh connection. */
    static long attribute(MaildeckInstance server, String mbean, String attribute) throws Exception {
        return number(server, mbean, attribute).longValue();
    }

    /** One attribute with a fraction, e.g. milliseconds to the microsecond. */
    static double decimalAttribute(MaildeckInstance server, String mbean, String attribute) throws Exception {
        return number(server, mbean, attribute).doubleValue();
    }

    private static Number number(MaildeckInstance server, String mbean, String attribute) throws Exception {
        try (JMXConnector connector = connectAsAdmin(server)) {
            return (Number) connector.getMBeanServerConnection().getAttribute(new ObjectName(mbean), attribute);
        }
    }
}
