package org.maildeck.monitoring;

/**
 * {@code org.maildeck:type=Login,protocol=<SMTP, IMAP, POP3, MANAGESIEVE, CONSOLE>}: the logins of one protocol on
 * every listener since the server started, and the login throttle they share.
 */
public interface LoginMXBean {

    /** Logins that succeeded. */
    long getSuccessesTotal();

    /** Logins refused for a wrong user or password. */
    long getFailuresTotal();

    /** Login attempts refused, before any password check, because the address was locked out. */
    long getLockedOutRefusalsTotal();

    /** Times a client address was locked out, after failures over any protocol. */
    long getLockoutsTotal();

    /** Client addresses locked out right now, of every protocol. */
    long getLockedOutClients();
}
