package org.maildeck.assembly.startup;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import reactor.core.publisher.Hooks;

/**
 * Where errors go that a reactive pipeline had no subscriber left to receive.
 *
 * <p>James's spooler stops by interrupting its thread blocked on the mail queue; the resulting
 * {@code InterruptedException} has nowhere to go and Reactor would log it as an ERROR with a
 * stack trace at every clean stop. Once the server is stopping, such interruptions are expected
 * and logged at debug level; every other dropped error is still an ERROR.</p>
 */
public final class DroppedErrors {

    private static final Logger LOGGER = LoggerFactory.getLogger(DroppedErrors.class);
    private static volatile boolean stopping;

    private DroppedErrors() {
    }

    public static void install() {
        Hooks.onErrorDropped(DroppedErrors::log);
    }

    public static void serverStopping() {
        stopping = true;
    }

    private static void log(Throwable error) {
        if (stopping && causedByInterruption(error)) {
            LOGGER.debug("interrupted while stopping: {}", error.toString());
        } else {
            LOGGER.error("error dropped by a reactive pipeline", error);
        }
    }

    private static boolean causedByInterruption(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof InterruptedException || String.valueOf(cause.getMessage()).contains("InterruptedException")) {
                return true;
            }
        }
        return false;
    }
}
