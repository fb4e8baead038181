package org.maildeck.assembly.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.commons.configuration2.BaseHierarchicalConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.junit.jupiter.api.Test;

class SmtpLimitsTest {

    private final BaseHierarchicalConfiguration listener = new BaseHierarchicalConfiguration();

    @Test
    void withoutSettingsAListenerHasPostfixsLimitsAndOneMebibyteLines() throws Exception {
        assertThat(SmtpLimits.read(listener)).isEqualTo(new SmtpLimits(2048, 1024 * 1024, 1000));
    }

    @Test
    void settingsAreReadWithSizeUnits() throws Exception {
        listener.addProperty("commandLineLimit", "512");
        listener.addProperty("dataLineLimit", "256K");
        listener.addProperty("recipientLimit", "0");

        assertThat(SmtpLimits.read(listener)).isEqualTo(new SmtpLimits(512, 256 * 1024, 0));
    }

    @Test
    void aCommandLineLimitBelowRfc5321sMinimumIsRefused() {
        listener.addProperty("commandLineLimit", "511");

        assertThatThrownBy(() -> SmtpLimits.read(listener)).isInstanceOf(ConfigurationException.class)
            .hasMessageContaining("commandLineLimit 511");
    }

    @Test
    void aDataLineLimitBelowRfc5322sLineLengthIsRefused() {
        listener.addProperty("dataLineLimit", "999");

        assertThatThrownBy(() -> SmtpLimits.read(listener)).isInstanceOf(ConfigurationException.class)
            .hasMessageContaining("dataLineLimit 999");
    }
}
