package org.maildeck.assembly.data;

import java.time.Duration;
import java.time.temporal.ChronoUnit;

import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.util.DurationParser;

/**
 * The database connection pool (Commons DBCP, run by OpenJPA) from {@code james-database.properties}.
 *
 * <p>The size defaults to the spooler's threads plus {@value #OTHER_USERS} for everything else
 * that reads the database (SMTP, IMAP and POP3 sessions checking users and aliases, WebAdmin,
 * health checks): a pool smaller than the spooler, as DBCP's default of 8 was, lets the spooler
 * alone take every connection. A thread waits at most {@code datasource.maxWait} for a
 * connection, then its operation fails (SMTP answers 451, the spooler tries the mail again
 * later) instead of the thread hanging for good.
 */
record ConnectionPool(int maxTotal, Duration maxWait) {

    static final int OTHER_USERS = 20;
    private static final Duration DEFAULT_MAX_WAIT = Duration.ofSeconds(30);

    static ConnectionPool from(Configuration database, int spoolerThreads) throws ConfigurationException {
        int maxTotal = database.getInt("datasource.maxTotal", spoolerThreads + OTHER_USERS);
        if (maxTotal <= spoolerThreads) {
            throw new ConfigurationException("james-database.properties: datasource.maxTotal=" + maxTotal
                + " leaves no connection beside the spooler's " + spoolerThreads + " threads (mailetcontainer.xml);"
                + " give it at least " + (spoolerThreads + 1) + ", better " + (spoolerThreads + OTHER_USERS));
        }
        String maxWait = database.getString("datasource.maxWait", DEFAULT_MAX_WAIT.toSeconds() + "s");
        Duration wait;
        try {
            wait = DurationParser.parse(maxWait, ChronoUnit.SECONDS);
        } catch (IllegalArgumentException e) {
            wait = Duration.ZERO;
        }
        if (wait.isZero() || wait.isNegative()) {
            throw new ConfigurationException("james-database.properties: datasource.maxWait=" + maxWait
                + " must be a duration above 0, e.g. 30s (a thread must not wait for a connection for ever)");
        }
        return new ConnectionPool(maxTotal, wait);
    }

    /** As OpenJPA passes them to DBCP's BasicDataSource ({@code openjpa.ConnectionProperties}). */
    String asConnectionProperties() {
        return "MaxTotal=" + maxTotal + ", MaxIdle=" + maxTotal + ", MaxWaitMillis=" + maxWait.toMillis();
    }
}
