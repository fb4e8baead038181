package org.maildeck.assembly.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.time.Duration;

import org.apache.commons.configuration2.XMLConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.commons.configuration2.io.FileHandler;
import org.junit.jupiter.api.Test;
import org.maildeck.mailets.auth.LoginThrottleSettings;

/** The throttle keys of an older smtpserver.xml, where they were SmtpAuthPolicy's. */
class LoginThrottleModuleTest {

    private static XMLConfiguration smtpServers(String... policies) throws ConfigurationException {
        StringBuilder xml = new StringBuilder("<smtpservers>");
        for (String policy : policies) {
            xml.append("<smtpserver><handlerchain>")
                .append("<handler class=\"org.maildeck.mailets.smtpd.RelayPolicy\"><maxFailures>99</maxFailures></handler>")
                .append("<handler class=\"org.maildeck.mailets.smtpd.SmtpAuthPolicy\">").append(policy).append("</handler>")
                .append("</handlerchain></smtpserver>");
        }
        XMLConfiguration config = new XMLConfiguration();
        new FileHandler(config).load(new StringReader(xml.append("</smtpservers>").toString()));
        return config;
    }

    @Test
    void theShippedSmtpServerXmlLeavesTheThrottleToItsOwnFile() throws Exception {
        assertThat(LoginThrottleModule.fromSmtpServer(smtpServers(
            "<plaintextFromTrustedNetworks>false</plaintextFromTrustedNetworks>"))).isEmpty();
    }

    @Test
    void anOlderSmtpServerXmlKeepsItsSettings() throws Exception {
        String policy = "<maxFailures>3</maxFailures><lockout>2m</lockout>";

        LoginThrottleSettings settings = LoginThrottleModule.fromSmtpServer(smtpServers(policy, policy)).orElseThrow();

        assertThat(settings.maxFailures()).isEqualTo(3);
        assertThat(settings.lockout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(settings.failureDelay()).isEqualTo(LoginThrottleSettings.DEFAULTS.failureDelay());
    }

    @Test
    void listenersThatDisagreeAreAConfigurationError() {
        assertThatThrownBy(() -> LoginThrottleModule.fromSmtpServer(smtpServers("<maxFailures>3</maxFailures>", "<maxFailures>5</maxFailures>")))
            .isInstanceOf(ConfigurationException.class)
            .hasMessageContaining("auththrottle.properties");
    }
}
