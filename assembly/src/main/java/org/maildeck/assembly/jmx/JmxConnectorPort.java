package org.maildeck.assembly.jmx;

/** The fixed port of the JMX RMI connector (the registry port is James's {@code jmx.port}). */
public record JmxConnectorPort(int value) {
}
