package org.maildeck.assembly.startup;

import java.security.CodeSource;

import org.apache.james.protocols.netty.TimeoutHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks at start-up that the SMTP, LMTP and POP3 idle timeout is Maildeck's
 * {@code TimeoutHandler} (module james-overrides) and not James 3.8.1's, which lets a connection
 * idle twice its {@code connectiontimeout} and closes it without a last line. A class path put
 * together by hand can get the order wrong; the admin should hear of it.
 */
public final class IdleTimeoutCheck {

    private static final Logger LOGGER = LoggerFactory.getLogger("org.maildeck.server");

    private IdleTimeoutCheck() {
    }

    public static boolean maildecksTimeoutHandlerLoaded() {
        try {
            TimeoutHandler.class.getMethod("closesOnTheFirstIdleEvent");
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    public static void warnIfJamesTimeoutHandler() {
        if (!maildecksTimeoutHandlerLoaded()) {
            CodeSource source = TimeoutHandler.class.getProtectionDomain().getCodeSource();
            LOGGER.warn("James's own TimeoutHandler (from {}) comes first on the class path: SMTP, LMTP and POP3 connections"
                + " idle twice their connectiontimeout; put maildeck-james-overrides-*.jar first",
                source == null ? "an unknown place" : source.getLocation());
        }
    }
}
