package org.maildeck.console;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * The web console's settings (console.properties, read once at start).
 *
 * @param behindProxy whether to take the client address and scheme from a reverse proxy's
 *                    {@code X-Forwarded-For} and {@code X-Forwarded-Proto} (only ever true when
 *                    the listener is reachable by that proxy alone, as on 127.0.0.1)
 */
public record ConsoleSettings(boolean enabled, InetSocketAddress address, int maxConnections, int maxRequestBytes,
                              int maxHeaderBytes, Duration sessionIdleTimeout, Duration sessionMaxAge, int maxSessions,
                              boolean behindProxy) {
}
