package org.maildeck.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.maildeck.contentfilter.ScanInput;
import org.maildeck.contentfilter.Scanner;
import org.maildeck.contentfilter.ScannerVerdict;

class ScannerLatenciesTest {

    /** A scanner that keeps its own time limit, as clamd's client does. */
    private static final Scanner SELF_LIMITED = new Scanner() {
        @Override
        public String name() {
            return "self-limited";
        }

        @Override
        public Duration timeout() {
            return Duration.ofSeconds(1);
        }

        @Override
        public boolean limitsItsOwnTime() {
            return true;
        }

        @Override
        public ScannerVerdict scan(ScanInput message) {
            return new ScannerVerdict.Clean(name(), "test 1.0");
        }
    };

    @Test
    void aTimedScannerStillLimitsItsOwnTimeSoTheRouteCallsItWithoutAHandOver() {
        assertThat(new ScannerLatencies().timed(SELF_LIMITED).limitsItsOwnTime()).isTrue();
    }
}
