package org.maildeck.monitoring;

import org.maildeck.mailets.sieve.SieveCounters;

/** The {@code org.maildeck:type=Sieve} MBean over {@link SieveCounters}. */
public class SieveStatistics implements SieveMXBean {

    public static final String NAME = "org.maildeck:type=Sieve";

    @Override
    public long getScriptsRunTotal() {
        return SieveCounters.scriptsRun();
    }

    @Override
    public long getScriptsFailedTotal() {
        return SieveCounters.scriptsFailed();
    }

    @Override
    public long getVacationRepliesSentTotal() {
        return SieveCounters.vacationRepliesSent();
    }
}
