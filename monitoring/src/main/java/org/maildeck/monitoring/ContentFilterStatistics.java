package org.maildeck.monitoring;

import javax.inject.Inject;

import org.maildeck.antispam.JunkLearning;
import org.maildeck.mailets.ContentFilterCounters;
import org.maildeck.mailets.ScannerVerdictCounts;

/** The content filter's counts and the scanners' latencies, as the {@code ContentFilter} and {@code Scanner} MBeans read them. */
public class ContentFilterStatistics {

    public static final String CONTENT_FILTER_NAME = "org.maildeck:type=ContentFilter";

    private final ContentFilterCounters scans;
    private final ScannerLatencies latencies;
    private final JunkLearning learning;

    @Inject
    ContentFilterStatistics(ContentFilterCounters scans, ScannerLatencies latencies, JunkLearning learning) {
        this.scans = scans;
        this.latencies = latencies;
        this.learning = learning;
    }

    public static String scannerName(String scanner) {
        return "org.maildeck:type=Scanner,name=" + scanner;
    }

    public ContentFilterMXBean contentFilter() {
        return new ContentFilterMXBean() {
            @Override
            public long getMessagesScannedTotal() {
                return scans.scanned();
            }

            @Override
            public long getCleanTotal() {
                return scans.clean();
            }

            @Override
            public long getInfectedTotal() {
                return scans.infected();
            }

            @Override
            public long getBannedTotal() {
                return scans.banned();
            }

            @Override
            public long getSpamTaggedTotal() {
                return scans.spamTagged();
            }

            @Override
            public long getSpamKilledTotal() {
                return scans.spamKilled();
            }

            @Override
            public long getSpamUncheckedTotal() {
                return scans.spamUnchecked();
            }

            @Override
            public long getJunkLearntSpamTotal() {
                return learning.learntSpam();
            }

            @Override
            public long getJunkLearntHamTotal() {
                return learning.learntHam();
            }

            @Override
            public long getJunkLearningFailuresTotal() {
                return learning.failures();
            }
        };
    }

    public ScannerMXBean scanner(String name) {
        ScannerVerdictCounts outcomes = scans.scanner(name);
        LatencyWindow latency = latencies.of(name);
        return new ScannerMXBean() {
            @Override
            public long getVerdictsTotal() {
                return outcomes.verdicts();
            }

            @Override
            public long getCleanTotal() {
                return outcomes.clean();
            }

            @Override
            public long getInfectedTotal() {
                return outcomes.infected();
            }

            @Override
            public long getBannedTotal() {
                return outcomes.banned();
            }

            @Override
            public long getScoredTotal() {
                return outcomes.scored();
            }

            @Override
            public long getUncheckedTotal() {
                return outcomes.unchecked();
            }

            @Override
            public long getFailuresTotal() {
                return outcomes.failures();
            }

            @Override
            public long getTimeoutsTotal() {
                return outcomes.timeouts();
            }

            @Override
            public long getCircuitOpenTotal() {
                return outcomes.circuitOpen();
            }

            @Override
            public double getLatencyMedianMillis() {
                return latency.medianMillis();
            }

            @Override
            public double getLatencyP99Millis() {
                return latency.p99Millis();
            }

            @Override
            public double getLatencyMaxMillis() {
                return latency.maxMillis();
            }

            @Override
            public long getLatencySamples() {
                return latency.samples();
            }
        };
    }
}
