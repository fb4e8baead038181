package org.maildeck.mailets.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.apache.commons.configuration2.BaseConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.junit.jupiter.api.Test;

class LoginThrottleSettingsTest {

    private static LoginThrottleSettings configured(String delay, String maxDelay) throws ConfigurationException {
        BaseConfiguration config = new BaseConfiguration();
        config.addProperty("failureDelay", delay);
        config.addProperty("maxFailureDelay", maxDelay);
        return LoginThrottleSettings.DEFAULTS.overriddenBy(config, "test");
    }

    @Test
    void theDelayDoublesWithEachFailureUpToTheMaximum() throws Exception {
        LoginThrottleSettings settings = configured("1s", "8s");

        assertThat(settings.delayAfter(0)).isZero();
        assertThat(settings.delayAfter(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(settings.delayAfter(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(settings.delayAfter(3)).isEqualTo(Duration.ofSeconds(4));
        assertThat(settings.delayAfter(4)).isEqualTo(Duration.ofSeconds(8));
        assertThat(settings.delayAfter(40)).isEqualTo(Duration.ofSeconds(8));
    }

    @Test
    void delaysMayBeGivenInMilliseconds() throws Exception {
        assertThat(configured("150ms", "1s").delayAfter(2)).isEqualTo(Duration.ofMillis(300));
    }

    @Test
    void aDurationWithoutUnitIsInSeconds() throws Exception {
        assertThat(configured("2", "10").delayAfter(1)).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void keysNotGivenKeepTheirValue() throws Exception {
        BaseConfiguration config = new BaseConfiguration();
        config.addProperty("maxFailures", "3");

        LoginThrottleSettings settings = LoginThrottleSettings.DEFAULTS.overriddenBy(config, "test");

        assertThat(settings.maxFailures()).isEqualTo(3);
        assertThat(settings.lockout()).isEqualTo(LoginThrottleSettings.DEFAULTS.lockout());
        assertThat(LoginThrottleSettings.mentionedIn(config)).isTrue();
        assertThat(LoginThrottleSettings.mentionedIn(new BaseConfiguration())).isFalse();
    }

    @Test
    void aBadDurationIsAConfigurationError() {
        assertThatThrownBy(() -> configured("soon", "8s"))
            .isInstanceOf(ConfigurationException.class)
            .hasMessageContaining("failureDelay");
    }

    @Test
    void noFailureAllowedIsAConfigurationError() {
        BaseConfiguration config = new BaseConfiguration();
        config.addProperty("maxFailures", "0");

        assertThatThrownBy(() -> LoginThrottleSettings.DEFAULTS.overriddenBy(config, "auththrottle.properties"))
            .isInstanceOf(ConfigurationException.class)
            .hasMessageContaining("auththrottle.properties").hasMessageContaining("maxFailures");
    }
}
