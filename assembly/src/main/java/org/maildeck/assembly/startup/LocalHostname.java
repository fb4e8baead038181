package org.maildeck.assembly.startup;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This host's name, also when it does not resolve. James looks it up through DNS at start
 * ({@code InetAddress.getLocalHost()}) and refuses to start without an answer, which is common
 * in containers and fresh VMs lacking the Debian installer's {@code 127.0.1.1} line in
 * /etc/hosts. Postfix starts there with the kernel's host name; so does Maildeck, with one
 * warning saying what to fix. Looked up once per process, as James's DNS service keeps its own
 * answer from start-up: a failing lookup is not repeated for each bounce that names this host.
 */
final class LocalHostname {

    private static final Logger LOGGER = LoggerFactory.getLogger("org.maildeck.server");
    private static final Path KERNEL_HOSTNAME = Path.of("/proc/sys/kernel/hostname");
    private static final InetAddress ADDRESS = lookUp();

    private LocalHostname() {
    }

    /** The resolved local address, or the kernel's host name on the loopback address. */
    static InetAddress address() {
        return ADDRESS;
    }

    static String name() {
        return ADDRESS.getHostName();
    }

    private static InetAddress lookUp() {
        try {
            return InetAddress.getLocalHost();
        } catch (UnknownHostException e) {
            String name = kernelHostname();
            LOGGER.warn("warning: host name {} does not resolve ({}); using it with 127.0.0.1. Add it to /etc/hosts or DNS",
                name, e.getMessage());
            try {
                return InetAddress.getByAddress(name, new byte[] {127, 0, 0, 1});
            } catch (UnknownHostException impossible) {
                throw new IllegalStateException(impossible);
            }
        }
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
