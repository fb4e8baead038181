package org.maildeck.assembly.it;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.function.LongPredicate;

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

    /**
     * Reads the attribute until it is {@code expected} (for counts kept by background work, or
     * figures cached for a few seconds); returns what it read last, for the caller to assert.
     */
    static long awaitAttribute(MaildeckInstance server, String mbean, String attribute, long expected, Duration timeout) throws Exception {
        return awaitAttribute(server, mbean, attribute, value -> value == expected, timeout);
    }

    static long awaitAttribute(MaildeckInstance server, String mbean, String attribute, LongPredicate until, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        long value = attribute(server, mbean, attribute);
        while (!until.test(value) && System.nanoTime() < deadline) {
            Thread.sleep(200);
            value = attribute(server, mbean, attribute);
        }
        return value;
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
