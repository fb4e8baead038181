package org.maildeck.cli.check;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.maildeck.adminaccess.ConfiguredListeners;

/**
 * No two enabled listeners share a port, and each port is free for the server, or held by the
 * server itself when it runs.
 */
final class ListenerPorts {

    private ListenerPorts() {
    }

    static List<Finding> check(Path conf, boolean serverRunning) {
        List<Finding> findings = new ArrayList<>();
        Map<Integer, ConfiguredListeners.Listener> byPort = new HashMap<>();
        for (ConfiguredListeners.Listener listener : ConfiguredListeners.in(conf)) {
            if (!listener.enabled()) {
                continue;
            }
            Path file = conf.resolve(listener.file());
            ConfiguredListeners.Listener other = byPort.putIfAbsent(listener.port(), listener);
            if (other != null) {
                findings.add(Finding.error(file, 0, listener.name() + " and " + other.name() + " both bind port " + listener.port()));
                continue;
            }
            boolean taken = listener.accepting();
            if (taken && !serverRunning) {
                findings.add(Finding.error(file, 0, listener.name() + ": " + listener.address() + " is in use by another program"));
            } else if (!taken && serverRunning) {
                findings.add(Finding.warning(file, 0, listener.name() + ": nothing accepts connections on " + listener.address()));
            }
        }
        return findings;
    }
}
