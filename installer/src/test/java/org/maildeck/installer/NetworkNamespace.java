package org.maildeck.installer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A network namespace of its own with only a loopback interface: the installed server binds
 * 0.0.0.0:25 and :143 there without touching the test host's ports or being reachable from
 * outside, and the clients run in it too.
 */
public final class NetworkNamespace implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final String name;

    private NetworkNamespace(String name) {
        this.name = name;
    }

    public static NetworkNamespace create() {
        String name = "maildeck-pkg-" + UUID.randomUUID().toString().substring(0, 8);
        HostCommand.run(TIMEOUT, "ip", "netns", "add", name).orFail();
        NetworkNamespace namespace = new NetworkNamespace(name);
        HostCommand.run(TIMEOUT, namespace.wrap(List.of("ip", "link", "set", "lo", "up"))).orFail();
        return namespace;
    }

    /** {@code command} as run inside the namespace (and in a mount namespace of its own, as ip-netns does). */
    public List<String> wrap(List<String> command) {
        List<String> wrapped = new ArrayList<>(List.of("ip", "netns", "exec", name));
        wrapped.addAll(command);
        return wrapped;
    }

    @Override
    public void close() {
        HostCommand.run(TIMEOUT, "ip", "netns", "delete", name);
    }
}
