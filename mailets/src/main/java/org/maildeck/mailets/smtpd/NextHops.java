package org.maildeck.mailets.smtpd;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import javax.inject.Singleton;

/**
 * The next hops of the filter ports this server runs, by their {@code host:port}: where a
 * message the filter port quarantined goes when the admin releases it (the quarantined copy
 * names its next hop in {@link NextHop#HEADER}). Only a next hop configured here is trusted, so
 * that a forged header in mail caught elsewhere can never send a released message to a server
 * of the sender's choosing.
 */
@Singleton
public class NextHops {

    private final Map<String, NextHop> configured = new ConcurrentHashMap<>();

    void add(NextHop nextHop) {
        configured.put(nextHop.address(), nextHop);
    }

    /** The configured next hop written {@code address} in a quarantined message, if there is one. */
    public Optional<NextHop> named(String address) {
        return Optional.ofNullable(configured.get(address.trim()));
    }
}
