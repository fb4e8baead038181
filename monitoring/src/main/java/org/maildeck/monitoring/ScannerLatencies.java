package org.maildeck.monitoring;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import javax.inject.Singleton;

import org.maildeck.contentfilter.ScanInput;
import org.maildeck.contentfilter.Scanner;
import org.maildeck.contentfilter.ScannerVerdict;

/**
 * How long each scanner takes, measured around its own call so the route's waiting and
 * fan-out do not count. A call that fails or outlives the route's timeout is a latency too (a
 * slow clamd is what the admin wants to see); a refusal while the circuit is open never reaches
 * the scanner and is not one.
 */
@Singleton
public class ScannerLatencies {

    private final ConcurrentMap<String, LatencyWindow> windows = new ConcurrentHashMap<>();

    public LatencyWindow of(String scanner) {
        return windows.computeIfAbsent(scanner, any -> new LatencyWindow());
    }

    /** The window of every scanner timed so far, by name. */
    public java.util.SortedMap<String, LatencyWindow> all() {
        return new java.util.TreeMap<>(windows);
    }

    /** The scanner, with every call it answers timed into {@link #of its window}. */
    public Scanner timed(Scanner scanner) {
        LatencyWindow window = of(scanner.name());
        return new Scanner() {
            @Override
            public String name() {
                return scanner.name();
            }

            @Override
            public Duration timeout() {
                return scanner.timeout();
            }

            @Override
            public boolean skipsInfectedMail() {
                return scanner.skipsInfectedMail();
            }

            @Override
            public boolean limitsItsOwnTime() {
                return scanner.limitsItsOwnTime();
            }

            @Override
            public ScannerVerdict scan(ScanInput message) throws IOException {
                long start = System.nanoTime();
                try {
                    return scanner.scan(message);
                } finally {
                    window.record(Duration.ofNanos(System.nanoTime() - start));
                }
            }
        };
    }
}
