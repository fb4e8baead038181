package org.maildeck.assembly.data;

import java.sql.DriverManager;
import java.sql.SQLException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Closes the embedded Derby engine so that a clean stop leaves no log for Derby to replay. */
public final class EmbeddedDerby {

    private static final Logger LOGGER = LoggerFactory.getLogger(EmbeddedDerby.class);
    // Derby reports a successful system shutdown as this SQL state.
    private static final String SHUTDOWN_DONE = "XJ015";

    private EmbeddedDerby() {
    }

    public static void shutdown() {
        try {
            DriverManager.getConnection("jdbc:derby:;shutdown=true").close();
        } catch (SQLException e) {
            if (SHUTDOWN_DONE.equals(e.getSQLState())) {
                LOGGER.info("database closed");
            } else {
                LOGGER.warn("embedded database did not close cleanly: {} ({})", e.getMessage(), e.getSQLState());
            }
        }
    }
}
