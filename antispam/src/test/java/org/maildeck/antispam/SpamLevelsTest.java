package org.maildeck.antispam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.OptionalDouble;

import org.junit.jupiter.api.Test;
import org.maildeck.antispam.SpamLevels.Level;

class SpamLevelsTest {

    private final SpamLevels levels = SpamLevels.parse(Map.of(
        "spam.levels", "2.0 5.0 20.0",
        "spam.levels.example.org", "- 4.0 -",
        "spam.levels.bob@example.org", "off - off",
        "spam.lovers", "abuse@example.com, @traps.example.net"));

    @Test
    void aRecipientWithoutSettingsHasTheGlobalLevels() {
        assertThat(levels.of("carol@elsewhere.example")).isEqualTo(new SpamLevels.Levels(
            OptionalDouble.of(2.0), OptionalDouble.of(5.0), OptionalDouble.of(20.0)));
    }

    @Test
    void aDomainSettingOverridesOnlyTheLevelsItGives() {
        assertThat(levels.of("alice@example.org")).isEqualTo(new SpamLevels.Levels(
            OptionalDouble.of(2.0), OptionalDouble.of(4.0), OptionalDouble.of(20.0)));
    }

    @Test
    void aRecipientSettingOverridesItsDomainAndInheritsTheRest() {
        assertThat(levels.of("Bob@Example.org")).isEqualTo(new SpamLevels.Levels(
            OptionalDouble.empty(), OptionalDouble.of(4.0), OptionalDouble.empty()));
    }

    @Test
    void aLevelIsReachedAtItsThreshold() {
        assertThat(levels.reaches("carol@elsewhere.example", 5.0, Level.TAG2)).isTrue();
        assertThat(levels.reaches("carol@elsewhere.example", 4.9, Level.TAG2)).isFalse();
    }

    @Test
    void aLevelThatIsOffIsNeverReached() {
        assertThat(levels.reaches("bob@example.org", 1000, Level.KILL)).isFalse();
        assertThat(levels.reaches("bob@example.org", 1000, Level.TAG)).isFalse();
    }

    @Test
    void spamLoversAreMarkedButNeverKilled() {
        assertThat(levels.reaches("abuse@example.com", 1000, Level.TAG2)).isTrue();
        assertThat(levels.reaches("abuse@example.com", 1000, Level.KILL)).isFalse();
        assertThat(levels.reaches("anyone@traps.example.net", 1000, Level.KILL)).isFalse();
        assertThat(levels.reaches("abuse@example.org", 1000, Level.KILL)).isTrue();
    }

    @Test
    void theDefaultsAreAmavisdLike() {
        assertThat(SpamLevels.parse(Map.of()).of("x@y.example")).isEqualTo(new SpamLevels.Levels(
            OptionalDouble.of(2.0), OptionalDouble.of(5.0), OptionalDouble.of(20.0)));
    }

    @Test
    void aSettingWithoutThreeLevelsIsRefused() {
        assertThatThrownBy(() -> SpamLevels.parse(Map.of("spam.levels.example.org", "4.0")))
            .hasMessageContaining("spam.levels.example.org needs three levels");
        assertThatThrownBy(() -> SpamLevels.parse(Map.of("spam.levels", "2 five 20")))
            .hasMessageContaining("'five' is not a number");
    }
}
