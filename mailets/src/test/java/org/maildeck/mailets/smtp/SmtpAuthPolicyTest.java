package org.maildeck.mailets.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.apache.commons.configuration2.BaseHierarchicalConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.junit.jupiter.api.Test;

class SmtpAuthPolicyTest {

    private static SmtpAuthPolicy configured(String delay, String maxDelay) throws ConfigurationException {
        SmtpAuthPolicy policy = new SmtpAuthPolicy(null, new AuthFailures());
        BaseHierarchicalConfiguration config = new BaseHierarchicalConfiguration();
        config.addProperty("failureDelay", delay);
        config.addProperty("maxFailureDelay", maxDelay);
        policy.init(config);
        return policy;
    }

    @Test
    void theDelayDoublesWithEachFailureUpToTheMaximum() throws Exception {
        SmtpAuthPolicy policy = configured("1s", "8s");

        assertThat(policy.delayAfter(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(policy.delayAfter(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(policy.delayAfter(3)).isEqualTo(Duration.ofSeconds(4));
        assertThat(policy.delayAfter(4)).isEqualTo(Duration.ofSeconds(8));
        assertThat(policy.delayAfter(40)).isEqualTo(Duration.ofSeconds(8));
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
    void aBadDurationIsAConfigurationError() {
        assertThatThrownBy(() -> configured("soon", "8s"))
            .isInstanceOf(ConfigurationException.class)
            .hasMessageContaining("failureDelay");
    }
}
