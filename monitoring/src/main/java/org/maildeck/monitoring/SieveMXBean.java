package org.maildeck.monitoring;

/** {@code org.maildeck:type=Sieve}: Sieve at delivery since the server started. */
public interface SieveMXBean {

    /** Scripts run for a recipient (the {@code before} script and the user's each count). */
    long getScriptsRunTotal();

    /** Recipients whose script failed or was refused, the mail kept in INBOX ({@code relay=sieve, script failed}). */
    long getScriptsFailedTotal();

    /** Vacation replies sent ({@code vacation: replied to}). */
    long getVacationRepliesSentTotal();
}
