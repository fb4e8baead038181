package org.maildeck.assembly.managesieve;

import java.net.InetSocketAddress;

import org.apache.james.managesieve.util.SettableSession;

/** James's ManageSieve session, knowing its client's address (for the login throttle and the log). */
final class ClientSession extends SettableSession {

    private final InetSocketAddress client;

    ClientSession(InetSocketAddress client) {
        this.client = client;
    }

    InetSocketAddress client() {
        return client;
    }
}
