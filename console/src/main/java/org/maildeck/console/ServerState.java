package org.maildeck.console;

import java.util.List;

/**
 * What the status page shows of the running server besides the figures: its listeners and the
 * health of its components, as {@code maildeck status} reports them. Supplied by the assembly,
 * which knows how the server is configured and which checks it runs.
 */
public interface ServerState {

    /** One bound address of a listener and whether it accepts connections (or is disabled). */
    record Listener(String name, String address, String state, boolean warning) {
    }

    /** One component's health check: its state and, when not healthy, why. */
    record Component(String name, String state, String cause, boolean warning) {
    }

    List<Listener> listeners();

    List<Component> health();
}
