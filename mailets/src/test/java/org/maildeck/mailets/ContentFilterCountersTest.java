package org.maildeck.mailets;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.maildeck.contentfilter.ScanReport;
import org.maildeck.contentfilter.ScannerVerdict;
import org.maildeck.contentfilter.ScannerVerdict.Failed.Cause;

class ContentFilterCountersTest {

    private final ContentFilterCounters statistics = new ContentFilterCounters();

    private void record(ScannerVerdict... verdicts) {
        statistics.record(new ScanReport(List.of(verdicts), Duration.ofMillis(5)));
    }

    @Test
    void aMessageEveryScannerPassedIsScannedAndClean() {
        record(new ScannerVerdict.Clean("clamav", "ClamAV"), new ScannerVerdict.Scored("spamassassin", "SpamAssassin", 1.0, 5.0, List.of()));

        assertThat(statistics.scanned()).isEqualTo(1);
        assertThat(statistics.clean()).isEqualTo(1);
        assertThat(statistics.infected()).isZero();
    }

    @Test
    void anInfectedMessageIsCountedOnceForTheMessageAndOnceForItsScanner() {
        record(new ScannerVerdict.Infected("clamav", "ClamAV", "Eicar-Test-Signature"),
            new ScannerVerdict.Unchecked("spamassassin", "infected mail is not scored"));

        assertThat(statistics.infected()).isEqualTo(1);
        assertThat(statistics.clean()).isZero();
        assertThat(statistics.scanner("clamav").infected()).isEqualTo(1);
        assertThat(statistics.scanner("spamassassin").unchecked()).isEqualTo(1);
        assertThat(statistics.scanner("spamassassin").verdicts()).isZero();
    }

    @Test
    void aBannedPartMakesTheMessageBannedNotClean() {
        record(new ScannerVerdict.Clean("clamav", "ClamAV"), new ScannerVerdict.Banned("banned", "setup.exe", "name matches *.exe"));

        assertThat(statistics.banned()).isEqualTo(1);
        assertThat(statistics.clean()).isZero();
        assertThat(statistics.scanner("banned").banned()).isEqualTo(1);
        assertThat(statistics.scanner("clamav").clean()).isEqualTo(1);
    }

    @Test
    void aFailedScannerMakesTheMessageNotCleanAndCountsItsCause() {
        record(new ScannerVerdict.Failed("clamav", Cause.TIMEOUT, "no verdict within 200 ms"));
        record(new ScannerVerdict.Failed("clamav", Cause.CIRCUIT_OPEN, "circuit open after repeated failures"));
        record(new ScannerVerdict.Failed("clamav", "connection refused"));

        ScannerVerdictCounts clamav = statistics.scanner("clamav");
        assertThat(statistics.clean()).isZero();
        assertThat(clamav.failures()).isEqualTo(3);
        assertThat(clamav.timeouts()).isEqualTo(1);
        assertThat(clamav.circuitOpen()).isEqualTo(1);
    }

    @Test
    void spamCountsAreKeptApartFromTheScans() {
        assertThat(statistics.recordSpamUnchecked()).isEqualTo(1);
        assertThat(statistics.recordSpamUnchecked()).isEqualTo(2);
        statistics.recordSpamTagged();
        statistics.recordSpamKilled();

        assertThat(statistics.spamUnchecked()).isEqualTo(2);
        assertThat(statistics.spamTagged()).isEqualTo(1);
        assertThat(statistics.spamKilled()).isEqualTo(1);
        assertThat(statistics.scanned()).isZero();
    }
}
