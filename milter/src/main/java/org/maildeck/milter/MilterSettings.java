package org.maildeck.milter;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * The milter listener's settings (milter.properties), read once at start-up.
 *
 * @param enabled         whether the listener is bound at all
 * @param address         where it listens (loopback by default: the MTA runs on this machine)
 * @param maxPacket       the largest packet accepted (Postfix sends body chunks of at most 64 KiB)
 * @param maxMessageSize  the largest message scanned; past it the message is refused
 * @param packetTimeout   how long a packet may take to arrive once it started
 * @param idleTimeout     how long a connection may wait between packets (Postfix keeps it for the SMTP session)
 * @param maxConnections  connections at once; more are closed at once, with a log line
 */
public record MilterSettings(boolean enabled, InetSocketAddress address, int maxPacket, long maxMessageSize,
                             Duration packetTimeout, Duration idleTimeout, int maxConnections) {
}
