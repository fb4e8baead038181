package org.maildeck.monitoring;

/** {@code org.maildeck:type=Relay}: relay control on every listener since the server started. */
public interface RelayMXBean {

    /** Recipients refused with {@code 554 5.7.1 Relay access denied}. */
    long getRelayDeniedTotal();
}
