package org.maildeck.contentfilter;

import java.time.Duration;

/**
 * What every scanner on the route is given by its configuration and the route asks back: the
 * name that labels its verdicts and statistics, and how long the route waits for it.
 */
abstract class NamedScanner implements Scanner {

    private final String name;
    private final Duration timeout;

    NamedScanner(String name, Duration timeout) {
        this.name = name;
        this.timeout = timeout;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final Duration timeout() {
        return timeout;
    }
}
