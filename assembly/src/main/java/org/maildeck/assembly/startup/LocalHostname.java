package org.maildeck.assembly.startup;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This host's name, also when it does not resolve. James looks it up through DNS at start
 * ({@code InetAddress.getLocalHost()}) and refuses to start without an answer, which is common
 * in containers and fresh VMs lacking the Debian installer's {@code 127.0.1.1} line in
 * /etc/hosts. Postfix starts there with the kernel's host name; so does Maildeck, with one
 * warning saying what to fix.
 */
final class LocalHostname {

    private static final Logger LOGGER = LoggerFactory.getLogger("org.maildeck.server");
    private static final Path KERNEL_HOSTNAME = Path.of("/proc/sys/kernel/hostname");
    private static final AtomicBoolean WARNED = new AtomicBoolean();

    private LocalHostname() {
    }

    /** The resolved local address, or the kernel's host name on the loopback address. */
    static InetAddress address() {
        try {
            return InetAddress.getLocalHost();
        } catch (UnknownHostException e) {
            String name = kernelHostname();
            if (WARNED.compareAndSet(false, true)) {
                LOGGER.warn("warning: host name {} does not resolve ({}); using it with 127.0.0.1. Add it to /etc/hosts or DNS",
                    name, e.getMessage());
            }
            try {
                return InetAddress.getByAddress(name, new byte[] {127, 0, 0, 1});
            } catch (UnknownHostException impossible) {
                throw new IllegalStateException(impossible);
            }
        }
    }

    static String name() {
        return address().getHostName();
    }

    private static String kernelHostname() {
        try {
            String name = Files.readString(KERNEL_HOSTNAME).trim();
            return name.isEmpty() ? "localhost" : name;
        } catch (IOException e) {
            return "localhost";
        }
    }
}
