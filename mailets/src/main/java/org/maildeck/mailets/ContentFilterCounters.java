package org.maildeck.mailets;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;

import javax.inject.Singleton;

import org.maildeck.contentfilter.ScanReport;

/**
 * What the content filter did since the server started, per message and per scanner: one
 * instance for the pipeline and the SMTP listeners that scan during DATA, read by the monitoring.
 */
@Singleton
public class ContentFilterCounters {

    private final LongAdder scanned = new LongAdder();
    private final LongAdder clean = new LongAdder();
    private final LongAdder infected = new LongAdder();
    private final LongAdder banned = new LongAdder();
    private final LongAdder spamUnchecked = new LongAdder();
    private final LongAdder spamTagged = new LongAdder();
    private final LongAdder spamKilled = new LongAdder();
    private final ConcurrentMap<String, ScannerVerdictCounts> scanners = new ConcurrentHashMap<>();

    void record(ScanReport report) {
        scanned.increment();
        report.verdicts().forEach(verdict -> scanner(verdict.scanner()).count(verdict));
        if (report.infection().isPresent()) {
            infected.increment();
        }
        if (report.banned().isPresent()) {
            banned.increment();
        }
        if (report.infection().isEmpty() && report.banned().isEmpty() && report.failures().isEmpty()) {
            clean.increment();
        }
    }

    /** A message went on without a spam score; returns how many did since the start. */
    long recordSpamUnchecked() {
        spamUnchecked.increment();
        return spamUnchecked.sum();
    }

    /** A message marked as spam for its recipients (tag2 level). */
    void recordSpamTagged() {
        spamTagged.increment();
    }

    /** A message kept from its recipients as spam (kill level): quarantined, discarded, bounced or refused. */
    void recordSpamKilled() {
        spamKilled.increment();
    }

    public ScannerVerdictCounts scanner(String name) {
        return scanners.computeIfAbsent(name, any -> new ScannerVerdictCounts());
    }

    public long scanned() {
        return scanned.sum();
    }

    /** Messages with no virus, no banned part and no scanner failure (the spam score does not matter here). */
    public long clean() {
        return clean.sum();
    }

    public long infected() {
        return infected.sum();
    }

    public long banned() {
        return banned.sum();
    }

    public long spamUnchecked() {
        return spamUnchecked.sum();
    }

    public long spamTagged() {
        return spamTagged.sum();
    }

    public long spamKilled() {
        return spamKilled.sum();
    }
}
