package org.maildeck.contentfilter;

import java.io.IOException;

import org.maildeck.localdaemon.DaemonException;

/**
 * The scanner's own client gave up waiting (connect or read timeout): a timeout for the
 * statistics, like the route's, whichever of the two clocks ran out first.
 */
public class ScannerTimeoutException extends IOException {

    public ScannerTimeoutException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * A local daemon's failure (clamd's, spamd's) as the route is to count it: a timeout as a
     * timeout, anything else as it is (an error).
     */
    static IOException whenTimedOut(DaemonException failure) {
        return failure.kind() == DaemonException.Kind.TIMEOUT ? new ScannerTimeoutException(failure.getMessage(), failure) : failure;
    }
}
