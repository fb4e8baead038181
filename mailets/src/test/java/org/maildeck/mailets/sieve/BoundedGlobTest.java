package org.maildeck.mailets.sieve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.apache.jsieve.exception.SievePatternException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class BoundedGlobTest {

    @Test
    void starAndQuestionMarkMatchAsInSieve() throws Exception {
        assertThat(BoundedGlob.matches("Weekly ACME report", "*ACME*")).isTrue();
        assertThat(BoundedGlob.matches("ACME", "AC?E")).isTrue();
        assertThat(BoundedGlob.matches("ACME", "*acme*")).isFalse();
    }

    @Test
    void regexCharactersInTheGlobAreLiteral() throws Exception {
        assertThat(BoundedGlob.matches("a.b", "a.b")).isTrue();
        assertThat(BoundedGlob.matches("axb", "a.b")).isFalse();
    }

    @Test
    void aFoldedHeaderIsMatchedAcrossItsLineBreak() throws Exception {
        assertThat(BoundedGlob.matches("first\r\n second", "first*second")).isTrue();
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void aCatastrophicPatternGivesUpInsteadOfRunningForHours() {
        String header = "a".repeat(5000);

        assertThatThrownBy(() -> BoundedGlob.matches(header, "*a*a*a*a*a*a*a*a*a*a*b"))
            .isInstanceOf(SievePatternException.class).hasMessageContaining("gave up");
    }

    @Test
    void eachWildcardIsAGroupAndAStarTakesAsLittleAsItCan() throws Exception {
        assertThat(BoundedGlob.capture("[acme-users] [fwd] version 1.0 is out", "[*] *", 0, MatchBudget.unlimited()))
            .hasValue(List.of("[acme-users] [fwd] version 1.0 is out", "acme-users", "[fwd] version 1.0 is out"));
        assertThat(BoundedGlob.capture("ACME", "a?me", Pattern.CASE_INSENSITIVE, MatchBudget.unlimited()))
            .hasValue(List.of("ACME", "C"));
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void manyMatchesEachUnderItsBoundGiveUpOnceTheRunsBudgetIsSpent() {
        String header = "a".repeat(1000);
        MatchBudget run = MatchBudget.forRun();

        assertThatThrownBy(() -> {
            for (int test = 0; test < 1000; test++) {
                BoundedGlob.capture(header, "*a*b", 0, run);
            }
        }).isInstanceOf(SievePatternException.class).hasMessageContaining("in all");
    }
}
