package org.maildeck.console;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;

import org.maildeck.adminaccess.OwnCertificates;

/**
 * The web console's settings (console.properties, read once at start).
 *
 * @param behindProxy whether to take the client address and scheme from a reverse proxy's
 *                    {@code X-Forwarded-For} and {@code X-Forwarded-Proto} (only ever true when
 *                    the listener is reachable by that proxy alone, as on 127.0.0.1)
 * @param tls         the keystore whose certificate the listener presents when it speaks
 *                    https itself ({@code tls.enabled}), else plain http
 */
public record ConsoleSettings(boolean enabled, InetSocketAddress address, int maxConnections, int maxRequestBytes,
                              int maxHeaderBytes, Duration sessionIdleTimeout, Duration sessionMaxAge, int maxSessions,
                              boolean behindProxy, Optional<OwnCertificates> tls) {
}
