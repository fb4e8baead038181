package org.maildeck.mailauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;

import org.apache.commons.configuration2.BaseConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.junit.jupiter.api.Test;
import org.maildeck.mailets.smtpd.SessionReject;

class SpfPolicyTest {

    private static SpfPolicy policy(String... parameters) throws ConfigurationException {
        BaseConfiguration config = new BaseConfiguration();
        for (int i = 0; i < parameters.length; i += 2) {
            config.addProperty(parameters[i], parameters[i + 1]);
        }
        return SpfPolicy.from(config);
    }

    private static Optional<String> reply(SpfPolicy policy, String result) {
        return policy.refusal(new SpfResult(result, "eve@example.com", false, ""), "192.0.2.7").map(SessionReject::reply);
    }

    @Test
    void byDefaultFailIsRefusedWith5723() throws Exception {
        assertThat(reply(policy(), "fail")).hasValueSatisfying(reply -> assertThat(reply)
            .startsWith("550 5.7.23 SPF validation failed").contains("eve@example.com").contains("[192.0.2.7]"));
    }

    @Test
    void byDefaultTemperrorIsDeferredWith4724() throws Exception {
        assertThat(reply(policy(), "temperror")).hasValueSatisfying(reply -> assertThat(reply).startsWith("451 4.7.24 "));
    }

    @Test
    void byDefaultPermerrorIsAccepted() throws Exception {
        assertThat(reply(policy(), "permerror")).isEmpty();
    }

    @Test
    void permerrorIsRefusedWith5724WhenConfigured() throws Exception {
        assertThat(reply(policy("onPermError", "reject"), "permerror")).hasValueSatisfying(reply -> assertThat(reply).startsWith("550 5.7.24 "));
    }

    @Test
    void failAndTemperrorAreAcceptedWhenConfigured() throws Exception {
        SpfPolicy accepting = policy("onFail", "accept", "onTempError", "accept");

        assertThat(reply(accepting, "fail")).isEmpty();
        assertThat(reply(accepting, "temperror")).isEmpty();
    }

    @Test
    void softfailNeutralNoneAndPassAreAlwaysAccepted() throws Exception {
        SpfPolicy strict = policy("onPermError", "reject");

        for (String result : new String[] {"pass", "softfail", "neutral", "none"}) {
            assertThat(reply(strict, result)).as(result).isEmpty();
        }
    }

    @Test
    void refusalsHappenAtMailUnlessRcptIsConfigured() throws Exception {
        assertThat(policy().refuseAt()).isEqualTo(SpfPolicy.Stage.MAIL);
        assertThat(policy("refuseAt", "rcpt").refuseAt()).isEqualTo(SpfPolicy.Stage.RCPT);
    }

    @Test
    void anUnknownChoiceIsAConfigurationError() {
        assertThatThrownBy(() -> policy("onFail", "bounce")).isInstanceOf(ConfigurationException.class).hasMessageContaining("onFail");
    }
}
