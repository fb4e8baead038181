package org.maildeck.monitoring;

import java.util.Map;

import javax.inject.Inject;

import org.maildeck.mailauth.MailAuthCounters;

/** The {@code MailAuth} MBean over the counters the mail-authentication hooks and mailets share. */
public class MailAuthStatistics implements MailAuthMXBean {

    public static final String NAME = "org.maildeck:type=MailAuth";

    private final MailAuthCounters counters;

    @Inject
    MailAuthStatistics(MailAuthCounters counters) {
        this.counters = counters;
    }

    @Override
    public Map<String, Long> getCounters() {
        return counters.snapshot();
    }
}
