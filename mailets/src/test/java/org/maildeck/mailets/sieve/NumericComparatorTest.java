package org.maildeck.mailets.sieve;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NumericComparatorTest {

    private final NumericComparator numeric = new NumericComparator();

    @Test
    void numbersCompareAsNumbersNotAsText() {
        assertThat(numeric.compare("10", "9")).isPositive();
        assertThat(numeric.compare("007", "7")).isZero();
        assertThat(numeric.compare("12abc", "12")).isZero();
    }

    @Test
    void aStringWithoutLeadingDigitIsPositiveInfinity() {
        assertThat(numeric.compare("", "99999999999999999999")).isPositive();
        assertThat(numeric.compare("abc", "")).isZero();
        assertThat(numeric.equals("", "x")).isTrue();
    }

    @Test
    void aMillionDigitsCompareWithoutBecomingANumber() {
        assertThat(numeric.compare("9".repeat(1_000_000), "1" + "0".repeat(999_999))).isPositive();
    }
}
