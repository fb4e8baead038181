package org.maildeck.monitoring;

/** {@code org.maildeck:type=SmtpAuth}: SMTP AUTH on every listener since the server started. */
public interface SmtpAuthMXBean {

    /** Logins that succeeded. */
    long getSuccessesTotal();

    /** Logins refused with {@code 535 5.7.8}. */
    long getFailuresTotal();

    /** Times a client address was locked out after too many failures ({@code 421 4.7.0}). */
    long getLockoutsTotal();

    /** Client addresses locked out right now. */
    long getLockedOutClients();
}
