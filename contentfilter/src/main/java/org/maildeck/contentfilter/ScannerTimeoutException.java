package org.maildeck.contentfilter;

import java.io.IOException;

/**
 * The scanner's own client gave up waiting (connect or read timeout): a timeout for the
 * statistics, like the route's, whichever of the two clocks ran out first.
 */
public class ScannerTimeoutException extends IOException {

    public ScannerTimeoutException(String message, Throwable cause) {
        super(message, cause);
    }
}
