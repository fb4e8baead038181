package org.maildeck.monitoring;

import java.util.Map;

/**
 * {@code org.maildeck:type=MailAuth}: the mail-authentication decisions since the server started,
 * one count per kind of decision ({@code dkim=pass}, {@code spf=fail}, {@code dmarc=fail},
 * {@code dmarc-refused}, {@code dkim-sign}, ...). The names are whatever the checks count
 * (a check added later shows up without a change here), so they come as one table rather than
 * an attribute each; a decision not taken yet is absent.
 */
public interface MailAuthMXBean {

    /** Each decision's count (a JMX TabularData of key and value), in name order. */
    Map<String, Long> getCounters();
}
